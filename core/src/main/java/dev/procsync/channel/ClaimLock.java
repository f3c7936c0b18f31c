package dev.procsync.channel;

import static dev.procsync.layout.QueueLayout.BIAS;
import static dev.procsync.layout.QueueLayout.BIASED;
import static dev.procsync.layout.QueueLayout.COUNT_MASK;
import static dev.procsync.layout.QueueLayout.INSIDE;
import static dev.procsync.layout.QueueLayout.LAST_CLAIMER;
import static dev.procsync.layout.QueueLayout.LOCK;
import static dev.procsync.layout.QueueLayout.LOCK_START;
import static dev.procsync.layout.QueueLayout.PID_MASK;
import static dev.procsync.layout.QueueLayout.PUT_TOTAL;
import static dev.procsync.layout.QueueLayout.SLEEPERS;
import static dev.procsync.layout.QueueLayout.TAIL;
import static dev.procsync.channel.Ring.count;

import dev.procsync.futex.Membarrier;
import dev.procsync.futex.WakeIntent;
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
 *
 * <p>The lock may be <em>biased</em> to one producer handle ({@link RingWriter} decides when): its
 * owner thread then keeps the lock between puts and claims with plain ordered stores, no atomic
 * instruction. Anyone else who wants the lock revokes the bias (see {@link #lockSlow}).
 */
final class ClaimLock {
    /*
     * Revoking a bias. The word holds holder pid | BIASED. The revoker CASes it to its own pid, so
     * it holds the lock as anyone would and nobody can bias it again meanwhile; clears BIAS; calls
     * membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED), which the holder's process registered for before
     * it took the bias; and waits until INSIDE is 0. The holder's claim stores INSIDE = 1 and then
     * reads BIAS, in program order but with no fence: the membarrier puts a full barrier in the
     * holder's instruction stream somewhere during the call, so either the holder's read of BIAS
     * comes after it and sees 0 (it backs out and takes the lock normally), or its store of INSIDE
     * is visible when the call returns and the revoker waits for the claim to end. The holder's
     * release store of INSIDE = 0 after its claim hands its stores (tail, putTotal) to the revoker.
     *
     * A holder that died inside a claim leaves INSIDE = 1: the revoker takes over as from a dead
     * claimer (OwnerWatch on the replaced word and LOCK_START, which it has not overwritten yet).
     * A live holder stopped inside a claim (SIGSTOP) must not make a timed put overrun: on timeout,
     * interrupt or close the revoker gives the word back to holder pid | BIASED, BIAS staying 0, so
     * the holder finishes its claim and whoever comes next revokes afresh.
     */
    private static final ProcessId ME = ProcessId.current();
    /** Once spinning failed: how long a revoker sleeps between looks at INSIDE and the holder's liveness. */
    private static final long INSIDE_POLL_NANOS = 100_000L;

    /** How {@link #acquire(long)} got the lock. */
    enum Acquired {
        /** The first compareAndSet took it: nobody else held it. */
        AT_ONCE,
        /** After spinning, sleeping, revoking a bias or taking it over from a dead holder. */
        AFTER_WAIT,
        /** The deadline passed first. */
        TIMED_OUT
    }

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
        return acquire(deadline) != Acquired.TIMED_OUT;
    }

    /** {@link #lock(long)}, telling how. @return how the lock was had, or TIMED_OUT */
    Acquired acquire(long deadline) throws InterruptedException {
        Acquired how = Acquired.AT_ONCE;
        if (!segment.compareAndSetInt(LOCK, 0, ME.pid())) {
            if (!lockSlow(deadline)) {
                return Acquired.TIMED_OUT;
            }
            how = Acquired.AFTER_WAIT;
        }
        segment.setLong(LOCK_START, ME.startTime());
        return how;
    }

    /**
     * Instead of {@link #unlock()}: keeps the lock, biased to the handle whose bias word is
     * {@code word} (this process has registered for membarrier). Fails, unlocking, if a waiter
     * has set SLEEPERS meanwhile.
     *
     * @return whether the lock is now biased
     */
    boolean unlockOrBias(long word) {
        // Release, then the CAS (a full fence): BIAS is visible before the word says BIASED, and
        // before this process's first fenceless claim reads notEmpty (Ring.prepareWait reads BIAS).
        segment.setLongRelease(BIAS, word);
        if (segment.compareAndSetInt(LOCK, ME.pid(), ME.pid() | BIASED)) {
            return true;
        }
        segment.setLongRelease(BIAS, 0);
        unlock();
        return false;
    }

    /** For close(): gives up the bias {@code word} if the lock still has it, waiting for no one. */
    void releaseBias(long word) {
        int state = ME.pid() | BIASED;
        while (segment.getLongAcquire(BIAS) == word && segment.getIntAcquire(LOCK) == state) {
            if (segment.compareAndSetInt(LOCK, state, ME.pid())) {
                try {
                    if (finishRevoke(state, Deadline.NONE, new OwnerWatch(), false) == Revoked.TAKEN) {
                        unlock();
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e); // not interruptible
                }
                return;
            }
        }
    }

    void unlock() {
        // CAS rather than a plain store: a failure means SLEEPERS is set and someone needs a wake-up.
        if (!segment.compareAndSetInt(LOCK, ME.pid(), 0)) {
            segment.getAndSetInt(LOCK, 0);
            segment.wake(LOCK, 1);
        }
    }

    private boolean lockSlow(long deadline) throws InterruptedException {
        if ((segment.getIntAcquire(LOCK) & BIASED) == 0 && ring.spinner.spin(
                () -> segment.getIntOpaque(LOCK) == 0 && segment.compareAndSetInt(LOCK, 0, ME.pid()))) {
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
            if ((state & BIASED) != 0) {
                // Biased holders are not waited for on the word (they never unlock): revoke.
                if (!segment.compareAndSetInt(LOCK, state, ME.pid())) {
                    continue;
                }
                Revoked r = finishRevoke(state, deadline, owner, true);
                if (r != Revoked.NOT_HERE) {
                    return r == Revoked.TAKEN;
                }
                // This process may not call membarrier: wait, as for any live holder, until the
                // holder gives the lock up (close) or dies.
                if (!sleepSlice(state, deadline)) {
                    return false;
                }
                continue;
            }
            if ((state & SLEEPERS) == 0) {
                if (!segment.compareAndSetInt(LOCK, state, state | SLEEPERS)) {
                    continue;
                }
                state |= SLEEPERS;
            }
            if (!sleepSlice(state, deadline)) {
                return false;
            }
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

    /**
     * Sleeps on the word while it holds {@code state}, one slice at most.
     *
     * @return false if the deadline had passed
     * @throws InterruptedException if interrupted; ClosedException once this handle closes
     */
    private boolean sleepSlice(int state, long deadline) throws InterruptedException {
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
        segment.await(LOCK, state, left, ring.slice, WakeIntent.ONE);
        segment.checkOpen();
        return true;
    }

    /**
     * The second half of a revocation (see the block comment above): the word was CASed from the
     * biased {@code state} to our pid; clears BIAS and waits for the holder's claim to end.
     *
     * @param interruptible whether deadline, interrupt and close() end the wait (close's own
     *                      release passes false)
     * @return TAKEN holding the lock; TIMED_OUT or NOT_HERE having given the word back
     */
    private Revoked finishRevoke(int state, long deadline, OwnerWatch owner, boolean interruptible)
            throws InterruptedException {
        segment.setLongRelease(BIAS, 0);
        if (owner.isOwnerDead(state, state & PID_MASK, segment.getLongAcquire(LOCK_START))) {
            segment.setIntRelease(INSIDE, 0); // a dead holder claims nothing more: no barrier needed
            repairAfterDeadClaimer();
            return Revoked.TAKEN;
        }
        // The holder's process registered before biasing, so the kernel has the command; only a
        // seccomp filter on this process can refuse it.
        if (!Membarrier.tryFenceEveryone()) {
            giveBack(state);
            return Revoked.NOT_HERE;
        }
        if (!ring.spinner.spin(() -> segment.getIntAcquire(INSIDE) == 0)) {
            while (segment.getIntAcquire(INSIDE) != 0) {
                if (owner.isOwnerDead(state, state & PID_MASK, segment.getLongAcquire(LOCK_START))) {
                    segment.setIntRelease(INSIDE, 0);
                    repairAfterDeadClaimer();
                    return Revoked.TAKEN;
                }
                if (interruptible) {
                    long left = Deadline.remaining(deadline);
                    if (ring.closing || Thread.currentThread().isInterrupted() || left <= 0) {
                        giveBack(state);
                        if (ring.closing) {
                            throw segment.closedException();
                        }
                        if (Thread.interrupted()) {
                            throw new InterruptedException("interrupted waiting to put into " + ring.what);
                        }
                        return Revoked.TIMED_OUT;
                    }
                }
                segment.await(INSIDE, 1, INSIDE_POLL_NANOS);
            }
        }
        return Revoked.TAKEN;
    }

    /** How {@link #finishRevoke} ended. */
    private enum Revoked {
        /** The lock is ours. */
        TAKEN,
        /** The deadline passed while the live holder was inside a claim; the word was given back. */
        TIMED_OUT,
        /** This process may not call membarrier; the word was given back. */
        NOT_HERE
    }

    /** Hands the word back to the biased holder's {@code state}; sleepers that came meanwhile re-look. */
    private void giveBack(int state) {
        if (!segment.compareAndSetInt(LOCK, ME.pid(), state)) {
            segment.getAndSetInt(LOCK, state); // SLEEPERS was set: they must wake and revoke instead
            segment.wake(LOCK, Integer.MAX_VALUE);
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
