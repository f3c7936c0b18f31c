package dev.procsync.internal.engine;

import dev.procsync.internal.InternalApi;

/**
 * The one hook contract between the {@link Poller} and whatever waits through it: a reactive
 * subscription (the reactive module's {@code Waiter}) or the virtual threads parked on one futex
 * word (a waiting room). The poller calls these methods on its own thread only; each
 * implementation decides what a try is, which word to sleep on, and how to give back.
 *
 * <p>The protocol, per round of the poller: {@link #isWaiting()}? then {@link #attempt}; on
 * success {@link #granted()}; on failure of the first waiter of a key, {@link #arm()} (register as
 * a sleeper, learn the value to sleep on) and {@link #address()}. A waiter that left WAITING is
 * dropped with {@link #abandon()}; a try or arm that throws ends the waiter with {@link #fail}.
 */
@InternalApi
public abstract class EngineWaiter {
    /** {@link #arm()} result: the word changed, so try again before sleeping. */
    public static final long RETRY = -1;
    /** {@link #arm()} result: no word to sleep on, so retry after a short bounded poll (about 1 ms). */
    public static final long POLL = -2;

    /** For subclasses. */
    protected EngineWaiter() {
    }

    /**
     * Tries the operation once without blocking, on the poller thread.
     *
     * @param sweep whether this is the periodic owner-liveness sweep (take over from dead owners)
     * @return whether it succeeded (the waiter then leaves the poller through {@link #granted()})
     */
    protected abstract boolean attempt(boolean sweep);

    /**
     * After a failed {@link #attempt}: registers as a sleeper on the word if needed and returns the
     * value to sleep on.
     *
     * @return the value, zero-extended, {@link #RETRY} or {@link #POLL}
     */
    protected abstract long arm();

    /** The native address of the word {@link #arm()} returned a value for. */
    protected abstract long address();

    /** Ends a registration without a grant; idempotent. */
    protected abstract void abandon();

    /** Waiters with the same key (compared by identity) are served in arrival order. */
    protected abstract Object key();

    /** Whether a failed attempt of the first waiter of a key means later ones would fail too. */
    protected abstract boolean ordered();

    /** Whether the poller should still attempt for this waiter. */
    protected abstract boolean isWaiting();

    /** Called once after a successful {@link #attempt}: hand the result on. Never blocks. */
    protected abstract void granted();

    /**
     * The try or arm threw: the waiter ends with this error. Never blocks.
     *
     * @param error why
     */
    protected abstract void fail(Throwable error);

    /**
     * The futex word of the last {@link #arm()} was woken by a {@code FUTEX_WAKE} while the poller
     * slept on it (not merely changed). Default: nothing, the next {@link #attempt} looks anyway.
     */
    protected void kicked() {
    }
}
