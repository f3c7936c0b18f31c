package dev.procsync.reactive;

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
