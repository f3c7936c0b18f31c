package dev.procsync.reactive.poller;

/**
 * One futex word the {@link Poller} may sleep on for its waiters, with the primitive's
 * "register as a sleeper" step: the reactive layer never re-implements a state word, it calls the
 * primitive's own watch hook.
 *
 * <p>All methods are called on the poller thread only, and must never block.
 */
public abstract class Watch {
    /** {@link #arm()} result: the word changed, so waiters should try again before sleeping. */
    public static final long RETRY = -1;

    /** Creates a watch. */
    protected Watch() {
    }

    /**
     * The native address of the futex word (stable while the primitive's handle is open).
     *
     * @return the address
     */
    protected abstract long address();

    /**
     * Registers this process as a sleeper on the word, so that the next change that could let a
     * waiter proceed is followed by a {@code FUTEX_WAKE}, and returns the value to sleep on.
     *
     * @return the value (zero-extended) the word must still hold for the poller to sleep, or
     *         {@link #RETRY}
     */
    protected abstract long arm();

    /** Called when no waiter needs the word any more; undoes what {@link #arm()} registered. */
    protected void disarm() {
    }
}
