package dev.procsync.sync;

import dev.procsync.futex.Spinner;
import dev.procsync.futex.WakeIntent;
import dev.procsync.layout.LockLayout;
import dev.procsync.process.OwnerWatch;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.Segment;

/**
 * The raw robust-lock word protocol that {@link Lock} and {@link RLock} compose (parking_lot's raw
 * mutex under its reentrant mutex): the owner word and the owner's start time beside it, with no
 * notion of threads, reentrancy or the owner-died flag, which the friendly types keep.
 *
 * <pre>
 *  word           meaning                      transitions
 *  0              free                         -> pid            tryLock (CAS)
 *                                              -> pid|SLEEPERS   lockSlow (CAS), keeps the bit
 *  pid            held, no sleeper announced   -> pid|SLEEPERS   a waiter before it sleeps (CAS)
 *                                              -> 0              unlock (exchange)
 *  pid|SLEEPERS   held, someone may sleep      -> 0              unlock (exchange), then FUTEX_WAKE 1
 *                                              -> me|SLEEPERS    lockSlow, owner dead (CAS from that exact word)
 * </pre>
 *
 * <p>A waiter that takes a free word sets SLEEPERS again (it cannot know whether it was the last
 * sleeper), so a release wakes at most one thread too many, never one too few. Waits are sliced
 * ({@link dev.procsync.futex.SpinPolicy#sliceNanos()}); after each slice an unchanged word's owner
 * is checked for liveness ({@link OwnerWatch}) and a dead owner's hold is taken over by a CAS from
 * the exact word judged dead, so a new hold is never stolen.
 */
final class RawRobustLock {
    private static final ProcessId ME = ProcessId.current();

    /** How {@link #lockSlow} ended. */
    enum Acquired {
        /** The word is ours. */
        TAKEN,
        /** The word is ours, taken over from a holder that died. */
        TAKEN_FROM_DEAD_OWNER,
        /** The deadline passed first. */
        TIMED_OUT
    }

    private final Segment segment;
    private final int stateOffset;
    private final int ownerStartOffset;
    private final Spinner spinner;

    RawRobustLock(Segment segment, int stateOffset, int ownerStartOffset, Spinner spinner) {
        this.segment = segment;
        this.stateOffset = stateOffset;
        this.ownerStartOffset = ownerStartOffset;
        this.spinner = spinner;
    }

    /** Takes the word if it is free: one CAS. @return whether it was taken */
    boolean tryLock() {
        return segment.compareAndSetInt(stateOffset, 0, ME.pid());
    }

    /**
     * Spins, then sleeps, until the word is taken or the deadline passes; the fast try was made.
     *
     * @param deadline a {@link Timeouts} deadline
     * @param what     what an {@link InterruptedException} names, e.g. "lock 'db'"
     * @return how it ended
     * @throws InterruptedException if interrupted while waiting
     */
    Acquired lockSlow(long deadline, String what) throws InterruptedException {
        if (spinner.spin(() -> segment.getIntOpaque(stateOffset) == 0 && tryLock())) {
            return Acquired.TAKEN;
        }
        OwnerWatch watch = new OwnerWatch();
        long slice = spinner.policy().sliceNanos();
        while (true) {
            int state = segment.getIntAcquire(stateOffset);
            if (state == 0) {
                // Keep SLEEPERS: we cannot know whether we were the last sleeper.
                if (segment.compareAndSetInt(stateOffset, 0, ME.pid() | LockLayout.SLEEPERS)) {
                    return Acquired.TAKEN;
                }
                continue;
            }
            if (!LockWord.hasSleepers(state)) {
                // Announce a sleeper before sleeping so the releaser knows to wake; retry on any change.
                if (!segment.compareAndSetInt(stateOffset, state, state | LockLayout.SLEEPERS)) {
                    continue;
                }
                state |= LockLayout.SLEEPERS;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted waiting for " + what);
            }
            long left = Timeouts.remaining(deadline);
            if (left <= 0) {
                return Acquired.TIMED_OUT;
            }
            segment.await(stateOffset, state, left, slice, WakeIntent.ONE);
            segment.checkOpen();
            int now = segment.getIntAcquire(stateOffset);
            // Take over only from the exact word we judged dead: a CAS from it cannot steal a new hold.
            if (now == state && watch.isOwnerDead(state, LockWord.pid(state), segment.getLongAcquire(ownerStartOffset))
                    && segment.compareAndSetInt(stateOffset, state, ME.pid() | LockLayout.SLEEPERS)) {
                return Acquired.TAKEN_FROM_DEAD_OWNER;
            }
        }
    }

    /**
     * Frees the word (the exchange publishes the holder's writes) and wakes one sleeper if marked.
     *
     * @return the word before (0: it was not held)
     */
    int unlock() {
        int previous = segment.getAndSetInt(stateOffset, 0);
        if (LockWord.hasSleepers(previous)) {
            segment.wake(stateOffset, 1);
        }
        return previous;
    }
}
