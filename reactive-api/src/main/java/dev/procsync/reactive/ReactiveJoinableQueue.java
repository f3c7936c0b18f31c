package dev.procsync.reactive;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * A {@link ReactiveQueue} that counts unfinished tasks: the reactive face of
 * {@code multiprocessing.JoinableQueue}. Every put adds a task; {@link #taskDone()} finishes one;
 * {@link #join()} completes when none is unfinished.
 *
 * @param <T> the item type
 */
public interface ReactiveJoinableQueue<T> extends ReactiveQueue<T> {
    /**
     * Marks one task finished.
     *
     * @return a cold {@code Mono} completing once counted; errors with {@link IllegalStateException}
     *         if called more times than items were put
     */
    Mono<Void> taskDone();

    /**
     * Completes when every item put so far has been marked done (at once if none is unfinished).
     *
     * @return a cold {@code Mono} that completes empty
     */
    Mono<Void> join();

    /**
     * As {@link #join()}, erroring with {@link java.util.concurrent.TimeoutException} after
     * {@code timeout}.
     *
     * @param timeout longest wait; zero or negative does not wait
     * @return a cold {@code Mono} that completes empty
     * @throws NullPointerException if {@code timeout} is null
     */
    Mono<Void> join(Duration timeout);
}
