package dev.procsync.reactive;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * A condition variable bound to a lock, shared between processes: the reactive face of
 * {@code multiprocessing.Condition}. Its lock is acquired through {@link #acquire()}; waiting
 * needs the resulting {@link Permit}.
 *
 * <p>{@link #await(Permit)} releases the lock, waits for a notification and re-acquires the lock
 * before it completes: when it completes, the same permit is held again. If the wait is
 * cancelled, the lock is still re-acquired for the permit, in the background (as Python
 * re-acquires after a timeout), so the caller's permit stays valid; a permit closed before that
 * is released as soon as the lock is back. A notification that reached a cancelled wait is
 * passed on to another waiter. Nothing happens before the subscriber requests: subscribing to
 * {@code await} without requesting keeps the lock held, and a cancel before the request leaves
 * it so.
 *
 * <p>As in every condition, a wake-up may be spurious: re-check the predicate in a loop. A
 * signal reaches only participants that are waiting at that moment. Holder death is as for the
 * lock; a waiter that dies consumes no signal (shared memory: it is passed on; Redis: a signal
 * skips a waiter whose lease expired, and one given to a waiter whose client died before it woke
 * is passed on to a live waiter once that lease expires).
 */
public interface ReactiveCondition extends ReactiveAcquirable, AutoCloseable {
    /**
     * Releases the lock held by {@code permit}, waits to be notified, and re-acquires it.
     *
     * @param permit a permit of this condition's lock, held by the caller
     * @return a cold {@code Mono} completing (empty) once notified and re-acquired
     */
    Mono<Void> await(Permit permit);

    /**
     * As {@link #await(Permit)}, waiting at most {@code timeout} for the notification.
     *
     * @param permit  a permit of this condition's lock
     * @param timeout longest wait for a notification; zero or negative does not wait
     * @return a cold {@code Mono} of whether it was notified ({@code false} on timeout); the lock
     *         is re-acquired either way
     * @throws NullPointerException if {@code timeout} is null
     */
    Mono<Boolean> await(Permit permit, Duration timeout);

    /**
     * Wakes up to {@code n} waiters (in any process; Python's {@code notify(n)}). The caller should hold the lock.
     *
     * @param n how many, at least 1
     * @return a cold {@code Mono} completing once signalled
     */
    Mono<Void> signal(int n);

    /**
     * Wakes every waiter (Python's {@code notify_all()}).
     *
     * @return a cold {@code Mono} completing once signalled
     */
    Mono<Void> signalAll();

    /** Closes this handle; pending waits through it error with the backend's closed-handle exception. */
    @Override
    void close();
}
