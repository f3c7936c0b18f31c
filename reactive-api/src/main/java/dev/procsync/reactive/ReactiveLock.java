package dev.procsync.reactive;

import reactor.core.publisher.Mono;

/**
 * A non-reentrant mutual-exclusion lock shared between processes, acquired as a {@link Permit}:
 * the reactive face of {@code multiprocessing.Lock}.
 *
 * <p>A second acquire through any handle waits until the permit is released (no reentrancy; use
 * {@link ReactiveRLock}). Waiters are woken when any participant releases (on shared memory,
 * through the blocking or the reactive API).
 *
 * <p><b>Holder death.</b> When the holder dies (see the package's "participants"), the lock does
 * not stay held forever. Shared memory: the holder's process is gone, and a waiter takes the lock
 * over within the liveness sweep interval. Redis: the holder's client stops renewing its lease
 * (watchdog), and the lock frees itself when the lease expires; a holder that was only cut off
 * loses the lock at the same moment, and its later release does nothing. Either way the next
 * acquirer may see state the dead holder left half-changed.
 *
 * <p>Memory consistency effects: as {@link Permit}'s; a release happens-before the next
 * successful acquire.
 */
public interface ReactiveLock extends ReactiveAcquirable, AutoCloseable {
    /**
     * Whether some process holds the lock (a snapshot taken at subscription).
     *
     * @return a cold {@code Mono} of the snapshot
     */
    Mono<Boolean> isLocked();

    /** Closes this handle; pending acquires through it error with the backend's closed-handle exception. */
    @Override
    void close();
}
