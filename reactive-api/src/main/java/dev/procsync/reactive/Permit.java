package dev.procsync.reactive;

import reactor.core.publisher.Mono;

/**
 * What a successful acquire holds: one hold of a lock, or some permits of a semaphore. Whoever
 * receives a permit owns it, whatever thread it is on, and must release it exactly once; later
 * releases do nothing.
 *
 * <p>{@link #release()} is lazy (nothing happens until the returned {@code Mono} is subscribed)
 * and idempotent; {@link #close()} releases at once, for {@code try}-with-resources and
 * {@code finally} blocks. Releasing never blocks a non-blocking thread.
 *
 * <p>A permit held by a participant that dies is handled by its primitive (see
 * {@link ReactiveLock} and {@link ReactiveSemaphore}); a permit whose hold the backend has since
 * taken away (a Redis lease that expired while its client was cut off) releases nothing.
 *
 * <p>Memory consistency effects: actions before a release (by any participant) happen-before actions
 * after the next successful acquire of the same object.
 *
 * <p>When a peer dies: a lock (or reentrant lock) whose holder died holding it is taken over by
 * the next acquirer, whose permit reports {@link #previousOwnerDied()}: what the lock protects may
 * be half-updated, and this holder should repair it before relying on it. Releasing the permit
 * clears the signal; {@link #releaseKeepingOwnerDied()} passes it on to the next holder instead
 * (for a holder that could not repair). Semaphore permits never report it.
 */
public interface Permit extends AutoCloseable {
    /**
     * A cold {@code Mono} that releases this permit when subscribed, and completes. Only the first
     * subscription to any {@code release()} (or the first {@link #close()}) releases; the others
     * complete without effect.
     *
     * @return the release
     */
    Mono<Void> release();

    /**
     * Releases this permit now if it has not been released; idempotent. On shared memory the release
     * has taken effect when this returns, on any thread, and it never blocks. On a backend whose
     * release is a network round trip (Redis), a call from a thread that may block waits, boundedly,
     * for the server's confirmation; a call from a non-blocking thread (a Reactor parallel or single
     * worker, a Netty event loop) only sends the release and returns, so what that thread does next
     * may still see the object held: subscribe to {@link #release()} there to know when it is done.
     */
    @Override
    void close();

    /** Whether this permit has been released (through either method). */
    boolean isReleased();

    /**
     * Whether this hold of a lock was taken over from a holder that died holding it (or follows a
     * {@link #releaseKeepingOwnerDied()} of such a hold): the protected state may need repair. Fixed
     * when the permit is granted; always {@code false} for semaphore permits.
     *
     * @return whether the previous holder died
     */
    default boolean previousOwnerDied() {
        return false;
    }

    /**
     * Releases like {@link #release()} but leaves the owner-died signal set, so that the next
     * holder's permit reports {@link #previousOwnerDied()} too: for a holder that took the lock
     * over and did not (or could not) repair. On a permit that does not report it, the same as
     * {@link #release()}. Idempotent together with the other release methods.
     *
     * @return a cold {@code Mono} that releases when subscribed
     */
    default Mono<Void> releaseKeepingOwnerDied() {
        return release();
    }
}
