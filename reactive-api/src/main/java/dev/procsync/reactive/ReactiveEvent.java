package dev.procsync.reactive;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * A level-triggered flag shared between processes: the reactive face of
 * {@code multiprocessing.Event}. {@link #await()} completes once the flag is set (at once if it
 * is set at request); {@link #set()} releases every waiter of every participant.
 *
 * <p>The flag is state, not a message: a waiter that subscribes after a {@code set()} and before
 * a {@code clear()} completes at once, and one that was waiting when both happened may or may
 * not have seen the set (as with Python's). A participant's death changes nothing. On Redis, a
 * waiter whose connection is lost keeps waiting and re-reads the flag when the client reconnects.
 *
 * <p>Memory consistency effects: actions before {@code set()} happen-before the completion of an
 * {@code await()} that observed it.
 */
public interface ReactiveEvent extends AutoCloseable {
    /** The event's name. */
    String name();

    /**
     * Sets the flag and wakes every waiter.
     *
     * @return a cold {@code Mono} completing once set
     */
    Mono<Void> set();

    /**
     * Clears the flag.
     *
     * @return a cold {@code Mono} completing once cleared
     */
    Mono<Void> clear();

    /**
     * Whether the flag is set (a snapshot at subscription).
     *
     * @return a cold {@code Mono} of the snapshot
     */
    Mono<Boolean> isSet();

    /**
     * Completes when the flag is set, waiting as long as it takes.
     *
     * @return a cold {@code Mono} that completes empty
     */
    Mono<Void> await();

    /**
     * Completes when the flag is set, or errors with {@link java.util.concurrent.TimeoutException}
     * after {@code timeout}. A zero or negative timeout only checks.
     *
     * @param timeout longest wait; zero or negative does not wait
     * @return a cold {@code Mono} that completes empty
     * @throws NullPointerException if {@code timeout} is null
     */
    Mono<Void> await(Duration timeout);

    /** Closes this handle; pending awaits through it error with the backend's closed-handle exception. */
    @Override
    void close();
}
