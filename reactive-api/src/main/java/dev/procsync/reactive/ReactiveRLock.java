package dev.procsync.reactive;

import reactor.core.publisher.Mono;

/**
 * A reentrant lock whose owner is this <em>handle</em>, not a thread: reactive code hops between
 * threads, so reentrancy is keyed by the handle. While a permit from this handle is outstanding,
 * another acquire through the same handle succeeds at once and nests; the lock is free for other
 * handles (and participants) once every nested permit has been released. Holder death is as for
 * {@link ReactiveLock}: the whole hold count goes with the dead holder.
 */
public interface ReactiveRLock extends ReactiveAcquirable, AutoCloseable {
    /**
     * How many permits of this handle are outstanding (a snapshot at subscription).
     *
     * @return a cold {@code Mono} of the hold count
     */
    Mono<Integer> holdCount();

    /** Closes this handle; pending acquires through it error with the backend's closed-handle exception. */
    @Override
    void close();
}
