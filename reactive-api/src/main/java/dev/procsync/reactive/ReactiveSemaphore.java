package dev.procsync.reactive;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * A counting semaphore shared between processes: the reactive face of
 * {@code multiprocessing.Semaphore}. {@link #acquire()} takes one permit, as Python's does;
 * releasing the {@link Permit} returns it. Permits may also be added without one
 * ({@link #release(int)}), as Python's {@code release()} allows from any process.
 *
 * <p><b>Holder death.</b> What happens to the permits a dead participant held differs, and the
 * contract kit pins both. Shared memory: the permits are lost, as with Python's semaphore (the
 * count does not know who took what). Redis: each permit is leased to its holder's client, and a
 * dead client's permits come back when their lease expires.
 *
 * <p>Memory consistency effects: actions before releasing a permit happen-before actions after an
 * acquire that takes it.
 */
public interface ReactiveSemaphore extends ReactiveAcquirable, AutoCloseable {
    /**
     * Acquires {@code permits} permits at once, all or none, waiting as long as it takes: a waiter
     * never holds part of its permits, so two waiters for many permits cannot deadlock each other.
     * The {@link Permit} holds all of them, and releasing it returns all of them. Cancelling
     * before the permit is emitted takes nothing, or gives all of them back.
     *
     * @param permits how many, at least 1 (and at most the backend's maximum)
     * @return a cold {@code Mono} of the permit
     * @throws IllegalArgumentException if {@code permits < 1}
     */
    Mono<Permit> acquire(int permits);

    /**
     * As {@link #acquire(int)}, waiting at most {@code timeout}: errors with
     * {@link java.util.concurrent.TimeoutException} if the permits were not all free in time (none
     * is taken then). A zero or negative timeout only tries, and times out at once if that fails.
     *
     * @param permits how many, at least 1
     * @param timeout longest wait
     * @return a cold {@code Mono} of the permit
     * @throws IllegalArgumentException if {@code permits < 1}
     */
    Mono<Permit> acquire(int permits, Duration timeout);

    /**
     * Acquires {@code permits} permits at once if that many are free right now; completes empty
     * otherwise (none is taken).
     *
     * @param permits how many, at least 1
     * @return a cold {@code Mono} of the permit, empty if not that many are free
     * @throws IllegalArgumentException if {@code permits < 1}
     */
    Mono<Permit> tryAcquire(int permits);

    /**
     * Adds {@code permits} permits without a {@link Permit} (Python's {@code release()}).
     *
     * @param permits how many, at least 1
     * @return a cold {@code Mono} that completes when released; errors with
     *         {@link IllegalStateException} past the bound of a bounded semaphore
     */
    Mono<Void> release(int permits);

    /**
     * Permits free now (a snapshot at subscription).
     *
     * @return a cold {@code Mono} of the count
     */
    Mono<Integer> availablePermits();

    /** Closes this handle; pending acquires through it error with the backend's closed-handle exception. */
    @Override
    void close();
}
