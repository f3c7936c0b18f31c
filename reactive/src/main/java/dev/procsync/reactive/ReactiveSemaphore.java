package dev.procsync.reactive;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * A counting semaphore shared between processes: the reactive face of
 * {@code multiprocessing.Semaphore}. {@link #acquire()} takes one permit; {@link #acquire(int)}
 * takes several at once (all or none). Releasing a {@link Permit} returns what it took; a permit
 * may also be released without one ({@link #release(int)}), as Python allows.
 */
public interface ReactiveSemaphore extends ReactiveAcquirable, AutoCloseable {
    /**
     * Takes {@code permits} permits at once, waiting as long as it takes.
     *
     * @param permits how many, at least 1
     * @return a cold {@code Mono} of one {@link Permit} covering all of them
     * @throws IllegalArgumentException if {@code permits < 1}
     */
    Mono<Permit> acquire(int permits);

    /**
     * Takes {@code permits} permits at once, waiting at most {@code timeout}.
     *
     * @param permits how many, at least 1
     * @param timeout longest wait; zero only tries
     * @return a cold {@code Mono} of the permit; errors with {@link java.util.concurrent.TimeoutException}
     * @throws IllegalArgumentException if {@code permits < 1} or the timeout is negative
     */
    Mono<Permit> acquire(int permits, Duration timeout);

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

    /** Closes this handle; pending acquires through it error with {@link dev.procsync.ClosedException}. */
    @Override
    void close();
}
