package dev.procsync.reactive;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A typed value shared between processes: the reactive face of {@code multiprocessing.Value}.
 * Reads and writes are atomic and linearizable on every backend; {@link #changes()} conflates.
 *
 * <p>Memory consistency effects: actions before a {@code set} or successful
 * {@code compareAndSet} happen-before actions after a {@code get} that reads the value it wrote.
 *
 * @param <T> the value type
 */
public interface ReactiveValue<T> extends AutoCloseable {
    /** The value's name. */
    String name();

    /**
     * Reads the value (at subscription).
     *
     * @return a cold {@code Mono} of the value
     */
    Mono<T> get();

    /**
     * Writes the value.
     *
     * @param value the new value
     * @return a cold {@code Mono} completing once written
     */
    Mono<Void> set(T value);

    /**
     * Atomically sets the value to {@code update} if it equals {@code expected}.
     *
     * @param expected the value it must hold
     * @param update   the new value
     * @return a cold {@code Mono} of whether it was set
     */
    Mono<Boolean> compareAndSet(T expected, T update);

    /**
     * The current value at request, then every value written afterwards by any process, latest
     * first: a slow subscriber sees the latest value, not every intermediate one (a conflating
     * stream, like a {@code StateFlow}); the same value is never emitted twice in a row. Woken by
     * the writes themselves (no timed polling), without a thread per subscriber. Never completes;
     * cancel to stop watching.
     *
     * @return a cold, infinite {@code Flux} of values
     */
    Flux<T> changes();

    /** Closes this handle; {@link #changes()} subscribers error with the backend's closed-handle exception. */
    @Override
    void close();
}
