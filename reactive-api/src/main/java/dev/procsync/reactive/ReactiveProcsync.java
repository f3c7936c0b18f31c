package dev.procsync.reactive;

import dev.procsync.codec.Codec;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The reactive entry point of one backend: finds primitives by name in one namespace and returns
 * their reactive faces. Each factory call opens a new handle (close it, or close the backend).
 *
 * <p>A backend is built by its own factory, never through this interface: the shared-memory one by
 * {@code ShmReactiveProcsync.of(namespace)}, the Redis one by {@code RedisReactiveProcsync.of(...)}.
 * The same name opens the same object for every participant of the namespace (every process
 * mapping it, or every client of the Redis server using the same key prefix).
 *
 * <p>Completions of waits are delivered on one Reactor {@link Scheduler}, by default
 * {@link Schedulers#parallel()} (looked up at each subscription, so that
 * {@code StepVerifier.withVirtualTime} can replace it). No backend runs user code on its own
 * I/O or poller threads.
 */
public interface ReactiveProcsync {
    /** The namespace's name (on Redis, the key prefix). */
    String name();

    /**
     * Opens or creates the named lock.
     *
     * @param name the lock's name
     * @return a new handle
     */
    ReactiveLock lock(String name);

    /**
     * Opens or creates the named reentrant lock; the returned handle is the owner of what it
     * acquires (see {@link ReactiveRLock}).
     *
     * @param name the lock's name
     * @return a new handle
     */
    ReactiveRLock rlock(String name);

    /**
     * Opens or creates the named semaphore.
     *
     * @param name    the semaphore's name
     * @param permits initial permits of a new semaphore; an existing one must match
     * @return a new handle
     */
    ReactiveSemaphore semaphore(String name, int permits);

    /**
     * Opens or creates the named bounded semaphore.
     *
     * @param name    the semaphore's name
     * @param permits initial permits and bound; an existing one must match
     * @return a new handle
     */
    ReactiveBoundedSemaphore boundedSemaphore(String name, int permits);

    /**
     * Opens or creates the named event (a new one starts lowered).
     *
     * @param name the event's name
     * @return a new handle
     */
    ReactiveEvent event(String name);

    /**
     * Opens or creates the named barrier (without an action).
     *
     * @param name    the barrier's name
     * @param parties how many parties trip a round; an existing barrier must match
     * @return a new handle
     */
    ReactiveBarrier barrier(String name, int parties);

    /**
     * Opens or creates the named condition over its own reentrant lock ({@code name + "~lock"}):
     * Python's default, and the pairing of a blocking {@code ns.condition(name)}, so reactive and
     * blocking processes wait on and signal the same condition. The lock is owned by this handle
     * (reactive code has no thread to own it): permits of the handle are its holds, and a wait
     * needs the handle to hold the lock exactly once.
     *
     * @param name the condition's name
     * @return a new handle (closing it closes its lock handle too)
     */
    ReactiveCondition condition(String name);

    /**
     * Opens or creates the named condition over the named plain, process-owned lock. Every process
     * must pair the condition name with the same lock name and kind (a blocking process uses
     * {@code ns.condition(name, ns.lock(lockName))}).
     *
     * @param name     the condition's name
     * @param lockName its lock's name
     * @return a new handle (closing it closes its lock handle too)
     */
    ReactiveCondition condition(String name, String lockName);

    /**
     * Opens or creates the named queue.
     *
     * @param name     the queue's name
     * @param codec    how messages are encoded
     * @param bound    how much it buffers (fixed at creation; an existing queue must match)
     * @param <T>      the message type
     * @return a new handle
     */
    <T> ReactiveQueue<T> queue(String name, Codec<T> codec, QueueBound bound);

    /**
     * Opens or creates the named queue with {@link QueueBound#defaults()}.
     *
     * @param name  the queue's name
     * @param codec how messages are encoded
     * @param <T>   the message type
     * @return a new handle
     */
    default <T> ReactiveQueue<T> queue(String name, Codec<T> codec) {
        return queue(name, codec, QueueBound.defaults());
    }

    /**
     * Opens or creates the named simple queue (Python's {@code SimpleQueue}): the same reactive face
     * as {@link #queue(String, Codec)}, bounded only by the backend (shared memory: a ring of 4 MiB
     * that blocking users open with {@code ns.simpleQueue(name, codec)}; Redis: unbounded).
     *
     * @param name  the queue's name
     * @param codec how messages are encoded
     * @param <T>   the message type
     * @return a new handle
     */
    <T> ReactiveQueue<T> simpleQueue(String name, Codec<T> codec);

    /**
     * Opens or creates the named joinable queue.
     *
     * @param name     the queue's name
     * @param codec    how messages are encoded
     * @param bound    how much it buffers (fixed at creation; an existing queue must match)
     * @param <T>      the message type
     * @return a new handle
     */
    <T> ReactiveJoinableQueue<T> joinableQueue(String name, Codec<T> codec, QueueBound bound);

    /**
     * Opens or creates the named joinable queue with {@link QueueBound#defaults()}.
     *
     * @param name  the queue's name
     * @param codec how messages are encoded
     * @param <T>   the message type
     * @return a new handle
     */
    default <T> ReactiveJoinableQueue<T> joinableQueue(String name, Codec<T> codec) {
        return joinableQueue(name, codec, QueueBound.defaults());
    }

    /**
     * Opens or creates the named shared {@code int} (initially 0).
     *
     * @param name the value's name
     * @return a new handle
     */
    ReactiveValue<Integer> intValue(String name);

    /**
     * Opens or creates the named shared {@code long} (initially 0).
     *
     * @param name the value's name
     * @return a new handle
     */
    ReactiveValue<Long> longValue(String name);

    /**
     * Opens or creates the named shared {@code double} (initially 0). Compare-and-set compares bits.
     *
     * @param name the value's name
     * @return a new handle
     */
    ReactiveValue<Double> doubleValue(String name);

    /**
     * Opens or creates the named shared {@code boolean} (initially false).
     *
     * @param name the value's name
     * @return a new handle
     */
    ReactiveValue<Boolean> booleanValue(String name);

    /**
     * Opens one end of the named pipe, creating the pipe if missing (one end per process, as
     * Python hands one {@code Connection} to each side).
     *
     * @param name     the pipe's name
     * @param first    the first end (Python's {@code conn1}, the reading end of a one-way pipe) or the second
     * @param duplex   both directions, or second to first only
     * @param codec    how messages are encoded
     * @param <T>      the message type
     * @return the connection
     */
    <T> ReactiveConnection<T> connection(String name, boolean first, boolean duplex, Codec<T> codec);

    /**
     * Opens one end of the named pipe with a given buffer size per direction, creating the pipe if
     * missing; every process must open the pipe with the same size.
     *
     * @param name     the pipe's name
     * @param first    the first end or the second, as in {@link #connection(String, boolean, boolean, Codec)}
     * @param duplex   both directions, or second to first only
     * @param capacity bytes buffered per direction (the backend may restrict it, e.g. to powers of two)
     * @param codec    how messages are encoded
     * @param <T>      the message type
     * @return the connection
     */
    <T> ReactiveConnection<T> connection(String name, boolean first, boolean duplex, int capacity, Codec<T> codec);

    /**
     * Opens both ends of the named pipe in this process (Python's {@code Pipe()}).
     *
     * @param name   the pipe's name
     * @param duplex both directions, or second to first only
     * @param codec  how messages are encoded
     * @param <T>    the message type
     * @return the two ends
     */
    default <T> ReactivePipe<T> pipe(String name, boolean duplex, Codec<T> codec) {
        ReactiveConnection<T> first = connection(name, true, duplex, codec);
        ReactiveConnection<T> second;
        try {
            second = connection(name, false, duplex, codec);
        } catch (RuntimeException e) {
            first.close();
            throw e;
        }
        return new ReactivePipe<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ReactiveConnection<T> first() {
                return first;
            }

            @Override
            public ReactiveConnection<T> second() {
                return second;
            }
        };
    }
}
