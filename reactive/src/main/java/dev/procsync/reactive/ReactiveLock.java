package dev.procsync.reactive;

import reactor.core.publisher.Mono;

/**
 * A non-reentrant mutual-exclusion lock shared between processes, acquired as a {@link Permit}:
 * the reactive face of {@code multiprocessing.Lock}.
 *
 * <p>A second acquire through any handle waits until the permit is released (no reentrancy; use
 * {@link ReactiveRLock}). Waiters are woken when any process releases, through the blocking or
 * the reactive API. When the holder process dies, a waiter takes the lock over within the
 * implementation's liveness sweep interval.
 */
public interface ReactiveLock extends ReactiveAcquirable, AutoCloseable {
    /**
     * Whether some process holds the lock (a snapshot taken at subscription).
     *
     * @return a cold {@code Mono} of the snapshot
     */
    Mono<Boolean> isLocked();

    /** Closes this handle; pending acquires through it error with {@link dev.procsync.ClosedException}. */
    @Override
    void close();
}
