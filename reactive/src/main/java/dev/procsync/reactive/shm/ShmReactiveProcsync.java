package dev.procsync.reactive.shm;

import dev.procsync.Namespace;
import dev.procsync.codec.Codec;
import dev.procsync.channel.Pipe;
import dev.procsync.channel.QueueCapacity;
import dev.procsync.channel.SimpleQueue;
import dev.procsync.data.SharedBoolean;
import dev.procsync.data.SharedDouble;
import dev.procsync.data.SharedInt;
import dev.procsync.data.SharedLong;
import dev.procsync.process.ChildProcess;
import dev.procsync.reactive.ReactiveBarrier;
import dev.procsync.reactive.ReactiveBoundedSemaphore;
import dev.procsync.reactive.ReactiveCondition;
import dev.procsync.reactive.ReactiveConnection;
import dev.procsync.reactive.ReactiveEvent;
import dev.procsync.reactive.ReactiveJoinableQueue;
import dev.procsync.reactive.ReactiveLock;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveProcsync;
import dev.procsync.reactive.ReactiveQueue;
import dev.procsync.reactive.ReactiveRLock;
import dev.procsync.reactive.ReactiveSemaphore;
import dev.procsync.reactive.ReactiveValue;
import dev.procsync.sync.Lock;
import dev.procsync.sync.RLock;
import dev.procsync.sync.SemaphoreOptions;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The shared-memory backend of {@link ReactiveProcsync}: the reactive faces of a core
 * {@link Namespace}, for processes of one host. Participants are processes; a process that dies
 * is seen by its peers within the liveness sweep (see each primitive's javadoc in
 * {@code procsync-reactive-api}).
 */
public final class ShmReactiveProcsync implements ReactiveProcsync {
    private final Namespace namespace;
    private final Supplier<Scheduler> scheduler;

    /**
     * The reactive face of a core namespace, completing on {@link Schedulers#parallel()} (looked
     * up per subscription, so that virtual time can replace it).
     *
     * @param namespace an open namespace
     * @return the reactive face
     */
    public static ShmReactiveProcsync of(Namespace namespace) {
        return new ShmReactiveProcsync(namespace, null);
    }

    /**
     * A completion Scheduler for {@link #of(Namespace, Scheduler)} that runs each completion
     * ({@code onNext}, {@code onComplete}, {@code onError} of a wait) on the poller thread itself,
     * right after the grant, instead of handing it to another thread: the lowest latency, for
     * short, non-blocking subscribers. <b>Your code then runs on the poller: do not block in it</b>
     * (no {@code block()}, no blocking I/O, no core blocking calls), or every pending wait of the
     * process stalls until it returns. Deadlines of timed waits still run on
     * {@link Schedulers#parallel()}, and so does their timeout error.
     *
     * @return the Scheduler
     */
    public static Scheduler completeOnPoller() {
        return PollerCompletion.INSTANCE;
    }

    /**
     * The reactive face of a core namespace, completing on {@code scheduler}.
     *
     * @param namespace an open namespace
     * @param scheduler where completions of waits (and timeouts) run
     * @return the reactive face
     */
    public static ShmReactiveProcsync of(Namespace namespace, Scheduler scheduler) {
        return new ShmReactiveProcsync(namespace, java.util.Objects.requireNonNull(scheduler, "scheduler"));
    }

    /**
     * Completes with a child process's exit code when it exits (at once if it has), on
     * {@link Schedulers#parallel()}: a process-local helper, not part of any backend.
     *
     * @param child a started child
     * @return a cold {@code Mono} of the exit code
     */
    public static Mono<Integer> exitCode(ChildProcess child) {
        return exitCode(child, Schedulers.parallel());
    }

    /**
     * As {@link #exitCode(ChildProcess)}, completing on {@code scheduler}.
     *
     * @param child     a started child
     * @param scheduler where the exit code is delivered
     * @return a cold {@code Mono} of the exit code
     */
    public static Mono<Integer> exitCode(ChildProcess child, Scheduler scheduler) {
        // The JDK completes onExit() on its reaper thread: hop to the Scheduler before user code.
        return Mono.defer(() -> Mono.fromFuture(child.onExit(), true).publishOn(scheduler))
                .map(Process::exitValue);
    }

    ShmReactiveProcsync(Namespace namespace, @Nullable Scheduler scheduler) {
        this.namespace = java.util.Objects.requireNonNull(namespace, "namespace");
        this.scheduler = scheduler == null ? Schedulers::parallel : () -> scheduler;
    }

    @Override
    public String name() {
        return namespace.name();
    }

    @Override
    public ReactiveLock lock(String name) {
        return new ShmLock(namespace.lock(name), scheduler);
    }

    @Override
    public ReactiveRLock rlock(String name) {
        return new ShmRLock(namespace.rlock(name), scheduler);
    }

    @Override
    public ReactiveSemaphore semaphore(String name, int permits) {
        return new ShmSemaphore(namespace.semaphore(name, permits), scheduler);
    }

    @Override
    public ReactiveBoundedSemaphore boundedSemaphore(String name, int permits) {
        return new ShmBoundedSemaphore(namespace.boundedSemaphore(name, permits), scheduler);
    }

    /**
     * The named semaphore in the given mode of the shared-memory backend, for example
     * {@link SemaphoreOptions#undoOnDeath()}: a permit acquired reactively is recorded under this
     * process, given back if the process dies holding it, and a permit that came from a dead holder
     * reports {@link dev.procsync.reactive.Permit#previousOwnerDied()}.
     *
     * @param name    the semaphore's name
     * @param permits initial permits; an existing one must have the same
     * @param options the mode; an existing one must have the same
     * @return the semaphore
     */
    public ReactiveSemaphore semaphore(String name, int permits, SemaphoreOptions options) {
        return new ShmSemaphore(namespace.semaphore(name, permits, options), scheduler);
    }

    /**
     * The named bounded semaphore in the given mode; see {@link #semaphore(String, int, SemaphoreOptions)}.
     *
     * @param name    the semaphore's name
     * @param permits initial and largest permits; an existing one must have the same
     * @param options the mode; an existing one must have the same
     * @return the semaphore
     */
    public ReactiveBoundedSemaphore boundedSemaphore(String name, int permits, SemaphoreOptions options) {
        return new ShmBoundedSemaphore(namespace.boundedSemaphore(name, permits, options), scheduler);
    }

    @Override
    public ReactiveEvent event(String name) {
        return new ShmEvent(namespace.event(name), scheduler);
    }

    @Override
    public ReactiveBarrier barrier(String name, int parties) {
        return new ShmBarrier(namespace.barrier(name, parties), scheduler);
    }

    @Override
    public ReactiveCondition condition(String name, String lockName) {
        Lock lock = namespace.lock(lockName);
        try {
            return new ShmCondition(namespace.condition(name, lock), ConditionLock.of(lock, scheduler), scheduler);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    public ReactiveCondition condition(String name) {
        RLock lock = RLock.openDefaultLockOf(namespace, name);
        try {
            return new ShmCondition(namespace.condition(name, lock), ConditionLock.of(lock, scheduler), scheduler);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    public <T> ReactiveQueue<T> queue(String name, Codec<T> codec, QueueBound bound) {
        return new ShmQueue<>(namespace.queue(name, codec, capacity(bound)), scheduler);
    }

    @Override
    public <T> ReactiveQueue<T> simpleQueue(String name, Codec<T> codec) {
        return new ShmQueue<>(SimpleQueue.open(namespace, name, codec, SimpleQueue.DEFAULT_BYTES).asQueue(), scheduler);
    }

    @Override
    public <T> ReactiveJoinableQueue<T> joinableQueue(String name, Codec<T> codec, QueueBound bound) {
        return new ShmJoinableQueue<>(namespace.joinableQueue(name, codec, capacity(bound)), scheduler);
    }

    /**
     * The ring a neutral bound maps to: {@link QueueCapacity#defaults()}, {@link QueueCapacity#messages(long)}
     * when only messages are given, else {@code maxBytes} bytes holding at most {@code maxMessages}
     * records. Blocking processes opening the queue with the same QueueCapacity factory agree.
     *
     * @param bound the neutral bound
     * @return the ring's capacity
     * @throws IllegalArgumentException if the ring cannot have that size (see {@link QueueCapacity})
     */
    public static QueueCapacity capacity(QueueBound bound) {
        if (bound.isDefault()) {
            return QueueCapacity.defaults();
        }
        return bound.maxBytes() == 0 ? QueueCapacity.messages(bound.maxMessages())
                : QueueCapacity.of(bound.maxBytes(), bound.maxMessages());
    }
    @Override
    public ReactiveValue<Integer> intValue(String name) {
        SharedInt v = namespace.sharedInt(name);
        return new ShmValue<>(ShmValue.Access.of(v, v::get, v::set, v::compareAndSet, v::armChanges), "int value",
                scheduler);
    }

    @Override
    public ReactiveValue<Long> longValue(String name) {
        SharedLong v = namespace.sharedLong(name);
        return new ShmValue<>(ShmValue.Access.of(v, v::get, v::set, v::compareAndSet, v::armChanges), "long value",
                scheduler);
    }

    @Override
    public ReactiveValue<Double> doubleValue(String name) {
        SharedDouble v = namespace.sharedDouble(name);
        return new ShmValue<>(ShmValue.Access.of(v, v::get, v::set, v::compareAndSet, v::armChanges), "double value",
                scheduler);
    }

    @Override
    public ReactiveValue<Boolean> booleanValue(String name) {
        SharedBoolean v = namespace.sharedBoolean(name);
        return new ShmValue<>(ShmValue.Access.of(v, v::get, v::set, v::compareAndSet, v::armChanges), "boolean value",
                scheduler);
    }

    @Override
    public <T> ReactiveConnection<T> connection(String name, boolean first, boolean duplex, Codec<T> codec) {
        return connection(name, first, duplex, Pipe.DEFAULT_CAPACITY, codec);
    }

    @Override
    public <T> ReactiveConnection<T> connection(String name, boolean first, boolean duplex, int capacity,
            Codec<T> codec) {
        return new ShmConnection<>(Pipe.end(namespace, name, first ? Pipe.End.A : Pipe.End.B, duplex, capacity,
                codec), scheduler);
    }

    @Override
    public String toString() {
        return "ReactiveProcsync[" + namespace.name() + "]";
    }
}
