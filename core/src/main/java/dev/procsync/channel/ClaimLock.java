package dev.procsync.channel;

import static dev.procsync.channel.Ring.COUNT_MASK;
import static dev.procsync.channel.Ring.LAST_CLAIMER;
import static dev.procsync.channel.Ring.LOCK;
import static dev.procsync.channel.Ring.LOCK_START;
import static dev.procsync.channel.Ring.PID_MASK;
import static dev.procsync.channel.Ring.PUT_TOTAL;
import static dev.procsync.channel.Ring.SLEEPERS;
import static dev.procsync.channel.Ring.TAIL;
import static dev.procsync.channel.Ring.count;

import dev.procsync.process.OwnerWatch;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.Segment;

/**
 * The claim lock of a {@link Ring}: a pid-owner futex lock held by a producer only for the few
 * stores of a claim (never across a wait), taken over from a holder that died. Its word and state
 * table are in {@link Ring}. The holder's start time is stored beside the word right after the
 * acquiring CAS; a waiter declares the holder dead as {@link OwnerWatch} decides: at once when its
 * pid is gone, and after a grace on the clock when the pid's start time differs with the word
 * unchanged (pid reuse, or a live holder between the CAS and the start-time store).
 */
final class ClaimLock {
    private static final ProcessId ME = ProcessId.current();

    private final Ring ring;
    private final Segment segment;

    ClaimLock(Ring ring) {
        this.ring = ring;
        this.segment = ring.segment;
    }

    /** Acquires the lock however long it takes, ignoring interrupts (for shutdown). */
    void lock() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (lock(Deadline.NONE)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true; // go on waiting; the status is restored for the caller below
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Acquires the lock, waiting until {@code deadline} at most: a holder that is alive but stopped
     * (SIGSTOP, a debugger) must not make a timed put wait past its timeout.
     *
     * @return whether the lock was taken
     * @throws InterruptedException if interrupted while sleeping for it
     */
    boolean lock(long deadline) throws InterruptedException {
        if (!segment.compareAndSetInt(LOCK, 0, ME.pid()) && !lockSlow(deadline)) {
            return false;
        }
        segment.setLong(LOCK_START, ME.startTime());
        return true;
    }

    void unlock() {
        // CAS rather than a plain store: a failure means SLEEPERS is set and someone needs a wake-up.
        if (!segment.compareAndSetInt(LOCK, ME.pid(), 0)) {
            segment.getAndSetInt(LOCK, 0);
            segment.wake(LOCK, 1);
        }
    }

    private boolean lockSlow(long deadline) throws InterruptedException {
        if (ring.spinner.spin(() -> segment.getIntOpaque(LOCK) == 0 && segment.compareAndSetInt(LOCK, 0, ME.pid()))) {
            return true;
        }
        OwnerWatch owner = new OwnerWatch();
        while (true) {
            int state = segment.getIntAcquire(LOCK);
            if (state == 0) {
                if (segment.compareAndSetInt(LOCK, 0, ME.pid() | SLEEPERS)) {
                    return true;
                }
                continue;
            }
            if ((state & SLEEPERS) == 0) {
                if (!segment.compareAndSetInt(LOCK, state, state | SLEEPERS)) {
                    continue;
                }
                state |= SLEEPERS;
            }
            if (ring.closing) {
                throw segment.closedException();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted waiting to put into " + ring.what);
            }
            long left = Deadline.remaining(deadline);
            if (left <= 0) {
                return false;
            }
            segment.await(LOCK, state, Math.min(left, ring.slice));
            segment.checkOpen();
            if (segment.getIntAcquire(LOCK) != state) {
                continue;
            }
            if (owner.isOwnerDead(state, state & PID_MASK, segment.getLongAcquire(LOCK_START))
                    && segment.compareAndSetInt(LOCK, state, ME.pid() | SLEEPERS)) {
                repairAfterDeadClaimer();
                return true;
            }
        }
    }

    /** The dead holder may have counted putTotal without publishing tail: reconcile the two. */
    private void repairAfterDeadClaimer() {
        long tailCount = count(segment.getLongAcquire(TAIL));
        long total = segment.getLongAcquire(PUT_TOTAL);
        long excess = (total - tailCount) & COUNT_MASK;
        segment.setLongRelease(PUT_TOTAL, total - excess);
        segment.setLong(LAST_CLAIMER, 0); // whoever published tail last died or was overtaken: read it
    }
}
