package dev.procsync.sync;

import static dev.procsync.layout.SemaphoreLayout.ONE_MULTI_SLEEPER;
import static dev.procsync.layout.SemaphoreLayout.ONE_SLEEPER;
import static dev.procsync.layout.SemaphoreLayout.PERMITS_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.STATE_OFFSET;

import dev.procsync.ClosedException;
import dev.procsync.SegmentMismatchException;
import dev.procsync.futex.Spinner;
import dev.procsync.futex.WakeIntent;
import dev.procsync.layout.HeaderLayout;
import dev.procsync.layout.SemaphoreLayout;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The word protocol shared by {@link Semaphore} and {@link BoundedSemaphore}: a permit count that
 * is also the futex word, and beside it a count of sleepers, updated together by 64-bit atomics.
 * The friendly classes add names, messages and javadoc; only this class touches the words, and
 * {@link UndoRawSemaphore}, which overrides the operations that change the permit count to record
 * them in its ledger (no class of the plain mode is touched by that: with only this class loaded,
 * every call is monomorphic).
 *
 * <pre>
 *  offset  size  field
 *  128     8     state: one little-endian 64-bit word, accessed only by 64-bit atomics
 *  128     4       low half  = permits   the futex word (0..bound)
 *  132     4       high half = sleepers  threads in any process registered to sleep on permits:
 *                    bits 0-15  = single   waiters for one permit
 *                    bits 16-31 = multi    waiters for more than one permit
 *  136           end (file rounded to one page)
 * </pre>
 */
class RawSemaphore {
    /*
     * Why one 64-bit state word. A releaser must learn whether anyone sleeps in the same atomic
     * step in which it adds permits, and a waiter must learn whether permits are available in the
     * same step in which it counts itself as a sleeper; with two separate words each side would
     * need a store-load fence (Dekker) to avoid a lost wake-up. Putting the two 32-bit counts in
     * one 64-bit word makes each decision one atomic operation. The kernel sees only the low 32 bits
     * (FUTEX_WAIT compares the permit count), so registering a sleeper never disturbs a sleeping
     * one. This is glibc's sem_t (nptl/sem_waitcommon.c: value and nwaiters in one 64-bit word).
     *
     * State table (p = permits, s = sleepers):
     *  operation               condition          transition                side effect
     *  tryAcquire              p > 0              p-1                       none (one CAS)
     *                          p == 0             none                      returns false
     *  waiter registers        any                s+1                       then tries as below before
     *                                                                       each FUTEX_WAIT(permits, 0)
     *  registered waiter wakes p > 0              p-1, s-1 in one CAS       acquired
     *                          p == 0             none                      sleeps again
     *  registered waiter quits any                s-1                       FUTEX_WAKE 1 if p > 0 and s-1 > 0
     *  release(n)              p + n <= bound     p+n                       FUTEX_WAKE min(n, s) if s > 0
     *                          p + n > bound      none                      throws (nothing changed)
     *
     * The quitting waiter's wake: a waiter that times out or is interrupted after a release woke it
     * has absorbed that wake-up without taking the permit; if it leaves while permits remain and
     * others sleep, it wakes one of them so the permit is not stranded.
     *
     * Waiters for n > 1 permits (acquire(n)). They register with a weight of 2^16 (a "multi"
     * sleeper), and a release that sees any multi sleeper wakes every sleeper instead of
     * min(n, s): a targeted wake-up could land on a waiter for more permits than there are, which
     * would go back to sleep with the wake-up meant for a single-permit waiter. A multi waiter sleeps
     * on the permit count it last saw (not on 0), so any release changes the word under it. One race
     * is left: a release may read s before a multi waiter registers and then FUTEX_WAKE 1 after
     * the multi waiter has gone to sleep, waking it instead of a single waiter. So a multi waiter
     * that registers while single waiters sleep and permits are free wakes every sleeper once
     * (rare: it needs free permits and sleepers at the same time). Multi waiters are not
     * favoured: single-permit acquirers may keep taking permits ahead of them (no fairness, as in
     * j.u.c's non-fair Semaphore).
     *
     *  operation               condition          transition                side effect
     *  multi waiter registers  any                m+1                       FUTEX_WAKE all if p > 0 and single s > 0
     *  multi waiter wakes      p >= n             p-n, m-1 in one CAS       acquired
     *                          p < n              none                      sleeps again on p
     *  multi waiter quits      any                m-1                       none (every wake-up it saw was a broadcast)
     *  release(n)              m > 0              p+n                       FUTEX_WAKE all
     *
     * Sixteen bits each: 65,535 single waiters at once; a count that overflows into the multi half
     * only turns releases into broadcasts (more wake-ups than needed, never fewer).
     *
     * Drift: a sleeper that dies (SIGKILL) or whose handle is closed under it cannot unregister,
     * so s may stay too high forever. Too high only makes releasers wake more threads than sleep
     * (a spurious FUTEX_WAKE); s is never too low, because only a registered waiter decrements it.
     */

    final Segment segment;
    final String what;
    final int bound;
    private final Spinner spinner;
    private final Watch.Protocol protocol = new Watch.Protocol() {
        @Override
        public boolean tryComplete(int expected) {
            return takeAsSleeper();
        }

        @Override
        public void disarm(int expected) {
            leave();
        }
    };

    /**
     * @param segment the mapped segment
     * @param what    "semaphore 'name'", for messages
     * @param bound   most permits the word may hold: {@link Integer#MAX_VALUE} or the initial value
     * @param spinner spin phase of the slow path
     */
    RawSemaphore(Segment segment, String what, int bound, Spinner spinner) {
        this.segment = segment;
        this.what = what;
        this.bound = bound;
        this.spinner = spinner;
    }

    /**
     * Opens or creates a semaphore's segment and its word protocol.
     *
     * @param namespace the namespace
     * @param name      the semaphore's name
     * @param kind      SEMAPHORE or BOUNDED_SEMAPHORE
     * @param permits   the initial permits (checked by the caller)
     * @param bound     the most permits the word may hold
     * @param options   the mode, which must match the segment's
     * @param what      "semaphore 'name'", for messages
     * @return the protocol, {@link UndoRawSemaphore} in the undo-on-death mode
     */
    static RawSemaphore open(SegmentDirectory namespace, String name, SegmentKind kind, int permits, int bound,
            SemaphoreOptions options, String what) {
        int slots = options.undoSlots();
        SegmentSpec spec = SegmentSpec.of(kind, SemaphoreLayout.bodyLength(slots),
                List.of("permits", "undo-on-death slots"), permits, slots)
                .withLayoutVersion(SemaphoreLayout.version(slots));
        Segment segment;
        try {
            segment = namespace.createOrOpen(name, spec, s -> init(s, permits));
        } catch (SegmentMismatchException e) {
            throw modeMismatch(namespace, name, kind, permits, options, what, e);
        }
        Spinner spinner = namespace.options().spinPolicy().newSpinner();
        return slots == 0 ? new RawSemaphore(segment, what, bound, spinner)
                : new UndoRawSemaphore(segment, what, bound, spinner, slots);
    }

    /** The exception for an open that asked for another mode: names both, or {@code e} as it is. */
    private static SegmentMismatchException modeMismatch(SegmentDirectory namespace, String name, SegmentKind kind,
            int permits, SemaphoreOptions asked, String what, SegmentMismatchException e) {
        long stored;
        // A spec of the kind and permits only: it opens the file whatever its mode, to read the mode.
        SegmentSpec any = SegmentSpec.of(kind, SemaphoreLayout.BODY_LENGTH, List.of("permits"), permits);
        try (Segment existing = namespace.open(name, any)) {
            stored = existing.getLongAcquire(HeaderLayout.paramOffset(SemaphoreLayout.PARAM_UNDO_SLOTS));
        } catch (RuntimeException other) {
            return e; // another kind, another initial count, gone meanwhile: the generic message says it
        }
        if (stored == asked.undoSlots()) {
            return e;
        }
        return new SegmentMismatchException(what + " in " + namespace.directory() + " was created in the "
                + new SemaphoreOptions((int) Math.min(Math.max(stored, 0), SemaphoreLayout.MAX_UNDO_SLOTS))
                + " mode, not " + asked + ": open it with the options it was created with", e);
    }

    static void init(Segment segment, int permits) {
        segment.setLongRelease(STATE_OFFSET, permits & 0xFFFF_FFFFL);
    }

    static int permits(long state) {
        return (int) state;
    }

    /** Registered sleepers of both kinds. */
    static int sleepers(long state) {
        return singleSleepers(state) + multiSleepers(state);
    }

    static int singleSleepers(long state) {
        return (int) (state >>> 32) & 0xFFFF;
    }

    static int multiSleepers(long state) {
        return (int) (state >>> 48);
    }

    String what() {
        return what;
    }

    /** The undo-on-death ledger; {@code null} in the plain mode. */
    @Nullable UndoLedger ledger() {
        return null;
    }

    /** The mode. */
    SemaphoreOptions options() {
        UndoLedger ledger = ledger();
        return ledger == null ? SemaphoreOptions.plain() : SemaphoreOptions.undoOnDeath(ledger.slots());
    }

    /** Whether this process holds permits a dead holder had held (undo mode; false in the plain one). */
    boolean previousOwnerDied() {
        UndoLedger ledger = ledger();
        return ledger != null && ledger.inheritedByMe() > 0;
    }

    /** Permits this process holds (undo mode). */
    int heldByThisProcess() {
        UndoLedger ledger = ledger();
        if (ledger == null) {
            throw new UnsupportedOperationException(what + " is in the plain mode, which does not record holders "
                    + "(create it with SemaphoreOptions.undoOnDeath() for that)");
        }
        return ledger.heldByMe();
    }

    /** Gives back dead holders' permits now (undo mode); 0 in the plain mode. */
    int recoverDeadHolders() {
        UndoLedger ledger = ledger();
        return ledger == null ? 0 : ledger.reclaimDead();
    }

    /** Permits ever given back from dead holders (undo mode); 0 in the plain mode. */
    long recoveredPermits() {
        UndoLedger ledger = ledger();
        return ledger == null ? 0 : ledger.recovered();
    }

    Segment segment() {
        return segment;
    }

    int available() {
        return permits(segment.getLongAcquire(STATE_OFFSET));
    }

    int sleepers() {
        return sleepers(segment.getLongAcquire(STATE_OFFSET));
    }

    /** Takes one permit if one is free. */
    boolean tryAcquire() {
        while (true) {
            long state = segment.getLongAcquire(STATE_OFFSET);
            if (permits(state) == 0) {
                segment.checkOpen(); // the read may have hit the placeholder page of a racing close()
                return false;
            }
            // CAS, not getAndAdd: the count must never dip below zero, even for an instant.
            if (segment.compareAndSetLong(STATE_OFFSET, state, state - 1)) {
                return true;
            }
        }
    }

    /**
     * Checks a permit count for an acquire: at least 1 and at most the bound (more could never be
     * free at once).
     */
    void checkAcquireCount(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("permits to acquire must be at least 1 for " + what + ": " + n);
        }
        if (n > 1 && n > bound) { // one permit keeps its old meaning: a bound of 0 just never frees one
            throw new IllegalArgumentException(what + " can never have " + n + " permits free: its bound is " + bound);
        }
    }

    /**
     * Takes {@code n} permits, waiting up to {@code nanos} ({@link Long#MAX_VALUE}: no limit; zero or
     * less: only tries).
     */
    boolean acquire(int n, long nanos) throws InterruptedException {
        checkAcquireCount(n);
        if (n == 1) {
            return tryAcquire() || nanos > 0 && acquire(Timeouts.deadline(nanos));
        }
        return tryAcquire(n) || nanos > 0 && acquireMany(n, Timeouts.deadline(nanos));
    }

    /** Takes {@code n} permits if that many are free now; all or none. */
    boolean tryAcquire(int n) {
        while (true) {
            long state = segment.getLongAcquire(STATE_OFFSET);
            if (permits(state) < n) {
                segment.checkOpen();
                return false;
            }
            if (segment.compareAndSetLong(STATE_OFFSET, state, state - n)) {
                return true;
            }
        }
    }

    /** Acquires {@code n > 1} permits, spinning then sleeping until {@code deadline}; the fast try was made. */
    private boolean acquireMany(int n, long deadline) throws InterruptedException {
        if (spinner.spin(() -> permits(segment.getLongOpaque(STATE_OFFSET)) >= n && tryAcquire(n))) {
            return true;
        }
        return sleep(arm(n), deadline);
    }

    /** Acquires one permit, spinning then sleeping until {@code deadline}; the fast try was made. */
    boolean acquire(long deadline) throws InterruptedException {
        if (spinner.spin(() -> permits(segment.getLongOpaque(STATE_OFFSET)) > 0 && tryAcquire())) {
            return true;
        }
        return sleep(arm(), deadline);
    }

    private boolean sleep(Watch watch, long deadline) throws InterruptedException {
        try {
            long slice = spinner.policy().sliceNanos();
            while (!watch.tryComplete()) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted waiting for " + what);
                }
                long left = Timeouts.remaining(deadline);
                if (left <= 0) {
                    return false;
                }
                segment.await(PERMITS_OFFSET, watch.expected(), left, slice, WakeIntent.ONE);
                segment.checkOpen();
            }
            return true;
        } finally {
            watch.close(); // no-op after completion; otherwise unregisters and passes a wake-up on
        }
    }

    /**
     * Registers a sleeper (even if permits are free: the holder's first {@link Watch#tryComplete()}
     * takes one then).
     */
    Watch arm() {
        segment.getAndAddLong(STATE_OFFSET, ONE_SLEEPER);
        segment.checkOpen();
        return new Watch(segment, PERMITS_OFFSET, 0, protocol);
    }

    /**
     * Registers a sleeper for {@code n > 1} permits; its watch sleeps on the permit count last seen
     * and completes by taking all {@code n} at once.
     */
    Watch arm(int n) {
        long before = segment.getAndAddLong(STATE_OFFSET, ONE_MULTI_SLEEPER);
        segment.checkOpen();
        if (permits(before) > 0 && singleSleepers(before) > 0) {
            segment.wake(PERMITS_OFFSET, Integer.MAX_VALUE); // see "One race is left" above
        }
        return new Watch(segment, PERMITS_OFFSET, permits(before), new Watch.Protocol() {
            @Override
            public boolean tryComplete(int expected) {
                return takeAsMultiSleeper(n);
            }

            @Override
            public void disarm(int expected) {
                segment.getAndAddLong(STATE_OFFSET, -ONE_MULTI_SLEEPER);
            }

            @Override
            public int refresh(int expected) {
                return available();
            }
        });
    }

    /** As a registered sleeper for {@code n} permits: takes them and unregisters in one step. */
    boolean takeAsMultiSleeper(int n) {
        while (true) {
            long state = segment.getLongAcquire(STATE_OFFSET);
            if (permits(state) < n) {
                segment.checkOpen();
                return false;
            }
            if (segment.compareAndSetLong(STATE_OFFSET, state, state - n - ONE_MULTI_SLEEPER)) {
                return true;
            }
        }
    }

    /** As a registered single-permit sleeper: takes one and unregisters in one step. */
    boolean takeAsSleeper() {
        while (true) {
            long state = segment.getLongAcquire(STATE_OFFSET);
            if (permits(state) == 0) {
                segment.checkOpen();
                return false;
            }
            // One CAS takes the permit and unregisters, so a releaser never counts a sleeper that left.
            if (segment.compareAndSetLong(STATE_OFFSET, state, state - 1 - ONE_SLEEPER)) {
                return true;
            }
        }
    }

    private void leave() {
        long before = segment.getAndAddLong(STATE_OFFSET, -ONE_SLEEPER);
        if (permits(before) > 0 && singleSleepers(before) > 1) {
            // Pass on a wake-up we may have absorbed; to everyone if a multi waiter might take it.
            segment.wake(PERMITS_OFFSET, multiSleepers(before) > 0 ? Integer.MAX_VALUE : 1);
        }
    }

    /**
     * Adds {@code n} permits atomically unless that would pass the bound, and wakes up to
     * {@code n} sleepers.
     *
     * @return the permit count before the release, or -1 if it would pass the bound (nothing changed)
     */
    int release(int n) {
        while (true) {
            long state = segment.getLongAcquire(STATE_OFFSET);
            int permits = permits(state);
            if (permits > bound - n) {
                segment.checkOpen();
                return -1;
            }
            // CAS, not getAndAdd: the bound is checked against exactly the value replaced, so two
            // racing releases can never both pass it (CPython's read-then-post check can).
            if (segment.compareAndSetLong(STATE_OFFSET, state, state + n)) {
                if (state == 0) {
                    segment.checkOpen(); // a CAS racing close() may have landed on the placeholder page
                }
                if (multiSleepers(state) > 0) {
                    segment.wake(PERMITS_OFFSET, Integer.MAX_VALUE);
                } else if (singleSleepers(state) > 0) {
                    segment.wake(PERMITS_OFFSET, Math.min(n, singleSleepers(state)));
                }
                return permits;
            }
        }
    }

    /** Throws the exception for a closed handle if it is closed. */
    void checkOpen() throws ClosedException {
        segment.checkOpen();
    }
}
