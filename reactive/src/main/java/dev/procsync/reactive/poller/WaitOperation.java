package dev.procsync.reactive.poller;

import org.jspecify.annotations.Nullable;

/**
 * A non-blocking operation a {@link WaitMono} retries until it succeeds: the bridge between a
 * core primitive's try-operation and the poller. Implementations call the primitive's own
 * try/watch hooks and never block.
 *
 * @param <T> what a successful try yields (a permit, an item, or a marker)
 */
public interface WaitOperation<T> {
    /**
     * Tries once. Called by one thread at a time for a given wait.
     *
     * @param sweep whether this is the periodic owner-liveness sweep
     * @return what was taken, or {@code null} if not possible now
     */
    @Nullable T tryTake(boolean sweep);

    /**
     * Gives back what {@link #tryTake} returned, for a wait that was cancelled or timed out
     * before its subscriber received it.
     *
     * @param taken what was taken
     */
    void giveBack(T taken);

    /** The word to sleep on while {@link #tryTake} fails. */
    Watch watch();

    /** What a timeout error says, e.g. "timed out after PT1S waiting for lock 'db'". */
    String describe();
}
