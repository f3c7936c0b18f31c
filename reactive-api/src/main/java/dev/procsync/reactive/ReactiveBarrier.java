package dev.procsync.reactive;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * A cyclic barrier for a fixed number of parties in any processes: the reactive face of
 * {@code multiprocessing.Barrier}. Each {@link #arrive()} completes when all parties have arrived,
 * with the arrival index: 0 for the first arrival of the round, {@code parties - 1} for the last,
 * as Python's {@code wait()} returns.
 *
 * <p><b>Party death.</b> A party that dies while waiting breaks the round for the others, who
 * error with {@link java.util.concurrent.BrokenBarrierException}: on shared memory when the
 * liveness sweep finds the waiting process dead; on Redis when the dead (or cut-off) client's
 * arrival lease expires unrenewed, within about the backend's lease. A party that dies before it
 * arrives is not seen by any backend: the others wait for it, so give waits across hosts a
 * timeout ({@link #arrive(Duration)}).
 *
 * <p>Memory consistency effects: actions before an arrival happen-before the completion of every
 * arrival of the same round.
 */
public interface ReactiveBarrier extends AutoCloseable {
    /** The barrier's name. */
    String name();

    /** How many parties must arrive. */
    int parties();

    /**
     * Arrives and waits for the others. Errors with {@link java.util.concurrent.BrokenBarrierException}
     * if the barrier is or becomes broken. Cancelling a pending arrival breaks the barrier, as a
     * timed-out Python {@code wait()} does: the arrival cannot be taken back.
     *
     * @return a cold {@code Mono} of the arrival index
     */
    Mono<Integer> arrive();

    /**
     * As {@link #arrive()}, breaking the barrier and erroring with
     * {@link java.util.concurrent.TimeoutException} after {@code timeout}.
     *
     * @param timeout longest wait; zero or negative does not wait
     * @return a cold {@code Mono} of the arrival index
     * @throws NullPointerException if {@code timeout} is null
     */
    Mono<Integer> arrive(Duration timeout);

    /**
     * Breaks the barrier: current and later arrivals error until {@link #reset()}.
     *
     * @return a cold {@code Mono} completing once broken
     */
    Mono<Void> abort();

    /**
     * Returns the barrier to its initial state; waiting parties error with
     * {@link java.util.concurrent.BrokenBarrierException}.
     *
     * @return a cold {@code Mono} completing once reset
     */
    Mono<Void> reset();

    /** Closes this handle; pending arrivals through it error with the backend's closed-handle exception. */
    @Override
    void close();
}
