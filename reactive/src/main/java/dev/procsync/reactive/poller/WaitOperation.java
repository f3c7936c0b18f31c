package dev.procsync.reactive.poller;

import org.jspecify.annotations.Nullable;

/**
 * A non-blocking operation that a {@link WaitMono} retries until it succeeds: the bridge between
 * a core primitive's try and watch hooks and the poller. Implementations never block and never
 * re-implement a word protocol: they call the primitive's own hooks.
 *
 * <p>One operation serves one subscription unless it is stateless (a lock's). The protocol:
 * {@link #tryTake} once on the requesting thread; if that fails, on the poller thread
 * {@link #tryTake} again, then {@link #arm()} (register as a sleeper, learn the value to sleep on),
 * sleep, and {@link #tryTake} after every wake-up. {@link #abandon()} ends a registration when the
 * subscription is cancelled, times out or fails; it may race a {@link #tryTake} on the poller, and
 * the primitive's hook decides which wins (a take that wins is then given back).
 *
 * @param <T> what a successful try yields (a permit, an item, or a marker)
 */
public interface WaitOperation<T> {
    /** {@link #arm()} result: the word changed, so try again before sleeping. */
    long RETRY = dev.procsync.internal.engine.EngineWaiter.RETRY;

    /**
     * {@link #arm()} result: the primitive offers no word to sleep on (no watch hook), so the
     * poller retries this operation after a short bounded poll (about a millisecond) instead.
     */
    long POLL = dev.procsync.internal.engine.EngineWaiter.POLL;

    /**
     * Tries once. Called by one thread at a time for a given subscription.
     *
     * @param sweep whether this is the periodic owner-liveness sweep (take over from dead owners)
     * @return what was taken, or {@code null} if not possible now
     */
    @Nullable T tryTake(boolean sweep);

    /**
     * Tries once for a subscriber that will not wait ({@link WaitMono#tryOnce}): like
     * {@link #tryTake} but registers nothing. Default: {@code tryTake(false)}, for operations whose
     * try registers nothing anyway.
     *
     * @return what was taken, or {@code null} if not possible now
     */
    default @Nullable T tryOnce() {
        return tryTake(false);
    }

    /**
     * Registers as a sleeper on the word (once, or again if the primitive needs it) and returns the
     * value to sleep on. Called on the poller thread after a failed {@link #tryTake}.
     *
     * @return the value, zero-extended, {@link #RETRY} or {@link #POLL}
     */
    long arm();

    /** The native address of the word to sleep on, valid after {@link #arm()} returned a value. */
    long address();

    /** Ends a registration without taking anything; idempotent. Default: nothing to undo. */
    default void abandon() {
    }

    /**
     * Gives back what {@link #tryTake} returned, for a wait that was cancelled or timed out before
     * its subscriber received it.
     *
     * @param taken what was taken
     */
    void giveBack(T taken);

    /** The handle whose waiters are served in arrival order (usually the reactive handle). */
    Object key();

    /** Whether a failure for the first waiter implies failure for later ones (see {@link Waiter#ordered()}). */
    default boolean ordered() {
        return true;
    }

    /** What a timeout error names, e.g. "lock 'db'". */
    String describe();

    /**
     * Carries a checked exception out of {@link #tryTake} (e.g. a broken barrier); the subscriber
     * receives the cause itself.
     */
    final class CheckedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * Wraps a checked exception.
         *
         * @param cause what the subscriber receives
         */
        public CheckedFailure(Exception cause) {
            super(cause);
        }
    }
}
