package dev.procsync.sync;

import static dev.procsync.layout.SemaphoreLayout.BOOK_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.BOOK_PID_MASK;
import static dev.procsync.layout.SemaphoreLayout.BOOK_SLEEPERS;
import static dev.procsync.layout.SemaphoreLayout.BOOK_START_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.JOURNAL_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.J_HELD_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.J_INHERITED_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.J_ORPHANS_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.J_PERMITS_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.J_PID_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.J_RECOVERED_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.ORPHANS_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.PERMITS_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.RECOVERED_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.SLOTS_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.SLOT_HELD;
import static dev.procsync.layout.SemaphoreLayout.SLOT_INHERITED;
import static dev.procsync.layout.SemaphoreLayout.SLOT_LENGTH;
import static dev.procsync.layout.SemaphoreLayout.SLOT_PID;
import static dev.procsync.layout.SemaphoreLayout.SLOT_START;
import static dev.procsync.layout.SemaphoreLayout.STATE_OFFSET;

import dev.procsync.InvalidSegmentException;
import dev.procsync.process.OwnerWatch;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.Segment;

/**
 * The undo-on-death ledger of a semaphore: who holds how many permits, so that a dead holder's
 * permits can be given back. Every change of the permit count goes through here, under the
 * <em>book</em>, a robust lock word; each change is journalled so that a holder of the book killed
 * at any instruction leaves an update that the next holder rolls back.
 */
final class UndoLedger {
    /*
     * Layout: SemaphoreLayout.UNDO (the state word at 128, the ledger from 136, slots from 192).
     *
     * Book word (a Lock word: LockWord's bits, OwnerWatch's verdict):
     *  value              meaning                         transitions
     *  0                  free                            lockBook: CAS 0 -> pid (spinning) or pid|SLEEPERS
     *  pid[|SLEEPERS]     held by pid                     unlockBook: getAndSet 0, FUTEX_WAKE 1 if SLEEPERS
     *  (held, pid dead)                                   waiter: CAS -> mypid|SLEEPERS, then repair()
     *
     * Invariant, between updates (book free or journal 0):
     *      permits + sum(slot.held) == total  (the initial permits; undo mode never creates any)
     *      orphans <= sum(slot.inherited) + permits, every held > 0 slot has a pid
     * Only the book's holder changes permits (the sleeper half moves without it), slot fields,
     * orphans and recovered.
     *
     * An update (take, give, reclaim of a dead slot) under the book:
     *  1. before-images of everything it may change (permits, the slot's held/inherited/pid,
     *     orphans, recovered) into j*, then journal = slot + 1 (release: the images first);
     *  2. the state CAS (a volatile write: the journal store is ordered before it; a volatile read:
     *     what follows is ordered after it), then the slot and counter stores;
     *  3. journal = 0 (release: the stores first), then the book is freed.
     * A holder killed anywhere leaves either journal == 0 (nothing or everything of its update is
     * done) or journal != 0 with the before-images complete; the next book holder then writes the
     * before-images back (idempotent: a repairer killed in turn leaves the same journal). Rolling
     * back is always right: the dead process never returned from the update, and what it held is
     * given back by the reclaim that follows anyway.
     *
     * A slot is claimed by writing start, then pid (release), so a reader that sees the pid sees
     * its start: liveness is exact (start of /proc/pid/stat != stored start means dead), with no
     * grace window, unlike the book word (pid published by its CAS, start stored after).
     */

    private static final ProcessId ME = ProcessId.current();
    private static final int SPINS = 128;
    private static final long BOOK_SLICE_NANOS = 25_000_000L;
    private static final long SWEEP_INTERVAL_NANOS = 25_000_000L;

    private final Segment segment;
    private final String what;
    private final int slots;
    /** This process's slot last seen (a hint: checked under the book before use). */
    private int hint = -1;
    /** When a failed registered take may next look for dead holders (racy: at worst an extra sweep). */
    private volatile long nextSweep;

    UndoLedger(Segment segment, String what, int slots) {
        this.segment = segment;
        this.what = what;
        this.slots = slots;
    }

    int slots() {
        return slots;
    }

    // ---- the book -------------------------------------------------------------------------------

    /** Takes the book, waiting as long as it takes (it is held for a few instructions), then repairs. */
    void lockBook() {
        if (!segment.compareAndSetInt(BOOK_OFFSET, 0, ME.pid())) {
            lockBookSlow();
        }
        segment.setLongRelease(BOOK_START_OFFSET, ME.startTime());
        segment.checkOpen(); // a CAS racing close() may have landed on the placeholder page
        int entry = segment.getIntAcquire(JOURNAL_OFFSET);
        if (entry != 0) {
            rollBack(entry);
        }
    }

    private void lockBookSlow() {
        for (int i = 0; i < SPINS; i++) {
            Thread.onSpinWait();
            if (segment.getIntOpaque(BOOK_OFFSET) == 0 && segment.compareAndSetInt(BOOK_OFFSET, 0, ME.pid())) {
                return;
            }
        }
        OwnerWatch owner = new OwnerWatch();
        while (true) {
            int state = segment.getIntAcquire(BOOK_OFFSET);
            if (state == 0) {
                // Keeps the bit: we cannot know whether we were the last sleeper (Lock does the same).
                if (segment.compareAndSetInt(BOOK_OFFSET, 0, ME.pid() | BOOK_SLEEPERS)) {
                    return;
                }
                continue;
            }
            if ((state & BOOK_SLEEPERS) == 0) {
                if (!segment.compareAndSetInt(BOOK_OFFSET, state, state | BOOK_SLEEPERS)) {
                    continue;
                }
                state |= BOOK_SLEEPERS;
            }
            segment.await(BOOK_OFFSET, state, BOOK_SLICE_NANOS);
            segment.checkOpen();
            if (segment.getIntAcquire(BOOK_OFFSET) == state
                    && owner.isOwnerDead(state, state & BOOK_PID_MASK, segment.getLongAcquire(BOOK_START_OFFSET))
                    && segment.compareAndSetInt(BOOK_OFFSET, state, ME.pid() | BOOK_SLEEPERS)) {
                return; // taken over from a dead holder: lockBook() repairs its half-done update
            }
        }
    }

    void unlockBook() {
        int previous = segment.getAndSetInt(BOOK_OFFSET, 0);
        if ((previous & BOOK_SLEEPERS) != 0) {
            segment.wake(BOOK_OFFSET, 1);
        }
    }

    // ---- the journal ------------------------------------------------------------------------------

    private void begin(int slot, long state) {
        int base = base(slot);
        segment.setInt(J_HELD_OFFSET, segment.getInt(base + SLOT_HELD));
        segment.setInt(J_INHERITED_OFFSET, segment.getInt(base + SLOT_INHERITED));
        segment.setInt(J_PERMITS_OFFSET, RawSemaphore.permits(state));
        segment.setInt(J_ORPHANS_OFFSET, segment.getInt(ORPHANS_OFFSET));
        segment.setInt(J_PID_OFFSET, segment.getInt(base + SLOT_PID));
        segment.setLong(J_RECOVERED_OFFSET, segment.getLong(RECOVERED_OFFSET));
        segment.setIntRelease(JOURNAL_OFFSET, slot + 1); // the images are complete before the entry
    }

    private void commit() {
        segment.setIntRelease(JOURNAL_OFFSET, 0); // every store of the update before the entry goes
    }

    /** Writes a dead book holder's before-images back; the caller holds the book. */
    private void rollBack(int entry) {
        int slot = entry - 1;
        if (slot < 0 || slot >= slots) {
            throw new InvalidSegmentException(segment.path() + ": journal of " + what + " names slot " + slot
                    + " of " + slots + " (damaged file)");
        }
        int base = base(slot);
        int permits = segment.getInt(J_PERMITS_OFFSET);
        long before;
        while (true) { // the sleeper half may move under us; the permit half only with the book
            before = segment.getLongAcquire(STATE_OFFSET);
            long restored = (before & 0xFFFF_FFFF_0000_0000L) | (permits & 0xFFFF_FFFFL);
            if (before == restored || segment.compareAndSetLong(STATE_OFFSET, before, restored)) {
                break;
            }
        }
        segment.setInt(base + SLOT_HELD, segment.getInt(J_HELD_OFFSET));
        segment.setInt(base + SLOT_INHERITED, segment.getInt(J_INHERITED_OFFSET));
        segment.setInt(ORPHANS_OFFSET, segment.getInt(J_ORPHANS_OFFSET));
        segment.setLong(RECOVERED_OFFSET, segment.getLong(J_RECOVERED_OFFSET));
        segment.setIntRelease(base + SLOT_PID, segment.getInt(J_PID_OFFSET));
        commit();
        if (permits > RawSemaphore.permits(before) && RawSemaphore.sleepers(before) > 0) {
            segment.wake(PERMITS_OFFSET, Integer.MAX_VALUE); // the dead taker's permits are free again
        }
    }

    // ---- updates ----------------------------------------------------------------------------------

    /**
     * Takes {@code n} permits for this process if that many are free, unregistering a sleeper in
     * the same CAS ({@code unregister}: 0, ONE_SLEEPER or ONE_MULTI_SLEEPER).
     *
     * @throws TooManyHoldersException if permits are free but no slot is (nothing taken)
     */
    boolean take(int n, long unregister) {
        if (RawSemaphore.permits(segment.getLongOpaque(STATE_OFFSET)) < n) {
            segment.checkOpen(); // too few now: no book needed to say so (a sleeper re-checks in the kernel)
            return false;
        }
        int returned = 0;
        lockBook();
        try {
            long state = segment.getLongAcquire(STATE_OFFSET);
            if (RawSemaphore.permits(state) < n) {
                segment.checkOpen();
                return false;
            }
            int slot = mine(true);
            if (slot < 0) {
                returned = reclaimDeadLocked();
                slot = mine(true);
                if (slot < 0) {
                    throw new TooManyHoldersException(what + " is in the undo-on-death mode with room for " + slots
                            + " holding processes, and " + slots + " live processes hold permits: none taken");
                }
                state = segment.getLongAcquire(STATE_OFFSET);
            }
            int base = base(slot);
            int held = segment.getInt(base + SLOT_HELD);
            int orphans = segment.getInt(ORPHANS_OFFSET);
            begin(slot, state);
            while (!segment.compareAndSetLong(STATE_OFFSET, state, state - n - unregister)) {
                state = segment.getLongAcquire(STATE_OFFSET); // only the sleeper half moved
            }
            if (!isMine(slot)) { // a free slot, or one whose live holder holds nothing (jPid restores it)
                segment.setLong(base + SLOT_START, ME.startTime());
                segment.setIntRelease(base + SLOT_PID, ME.pid()); // start before pid: readers see both
            }
            segment.setInt(base + SLOT_HELD, held + n);
            if (orphans > 0) { // these permits were a dead holder's: the taker is told
                int inherited = Math.min(n, orphans);
                segment.setInt(ORPHANS_OFFSET, orphans - inherited);
                segment.setInt(base + SLOT_INHERITED, segment.getInt(base + SLOT_INHERITED) + inherited);
            }
            commit();
            return true;
        } finally {
            unlockBook();
            if (returned > 0) {
                segment.wake(PERMITS_OFFSET, Integer.MAX_VALUE);
            }
        }
    }

    /**
     * Gives back {@code n} permits that this process holds.
     *
     * @return the permit count before, or -1 if it would pass {@code bound} (nothing changed)
     * @throws IllegalMonitorStateException if this process holds fewer than {@code n}
     */
    int give(int n, int bound) {
        long state;
        lockBook();
        try {
            int slot = mine(false);
            int held = slot < 0 ? 0 : segment.getInt(base(slot) + SLOT_HELD);
            if (held < n) {
                segment.checkOpen();
                throw new IllegalMonitorStateException(what + " is in the undo-on-death mode, where a process "
                        + "releases only permits it holds: this process holds " + held + ", releasing " + n);
            }
            state = segment.getLongAcquire(STATE_OFFSET);
            if (RawSemaphore.permits(state) > bound - n) {
                return -1;
            }
            int base = base(slot);
            int inherited = segment.getInt(base + SLOT_INHERITED);
            begin(slot, state);
            while (!segment.compareAndSetLong(STATE_OFFSET, state, state + n)) {
                state = segment.getLongAcquire(STATE_OFFSET);
            }
            segment.setInt(base + SLOT_HELD, held - n);
            if (inherited > 0) { // released permits are counted against the inherited ones first
                segment.setInt(base + SLOT_INHERITED, Math.max(0, inherited - n));
            }
            // A slot holding nothing stays this process's (no claim and scan on its next take) until a
            // taker that finds no free slot takes it over (mine()).
            commit();
        } finally {
            unlockBook();
        }
        if (RawSemaphore.multiSleepers(state) > 0) {
            segment.wake(PERMITS_OFFSET, Integer.MAX_VALUE);
        } else if (RawSemaphore.singleSleepers(state) > 0) {
            segment.wake(PERMITS_OFFSET, Math.min(n, RawSemaphore.singleSleepers(state)));
        }
        return RawSemaphore.permits(state);
    }

    /**
     * Gives back the permits of every dead holder now (the sleepers are woken).
     *
     * @return how many permits came back
     */
    int reclaimDead() {
        if (!anyDead()) {
            return 0;
        }
        int returned;
        lockBook();
        try {
            returned = reclaimDeadLocked();
        } finally {
            unlockBook();
        }
        if (returned > 0) {
            segment.wake(PERMITS_OFFSET, Integer.MAX_VALUE);
        }
        return returned;
    }

    /** As {@link #reclaimDead()}, at most once per sweep interval per handle (for waiters). */
    int reclaimDeadNowAndThen() {
        long now = System.nanoTime();
        if (now - nextSweep < 0) {
            return 0;
        }
        nextSweep = now + SWEEP_INTERVAL_NANOS;
        return reclaimDead();
    }

    /**
     * Unlocked pre-check, so that a sweep with nothing to do costs no book: an update in progress
     * (perhaps of a dead book holder, whose rollback may free permits: a taker killed between its
     * CAS and its claim of a slot leaves no dead slot to find) or a slot whose holder is dead.
     */
    private boolean anyDead() {
        if (segment.getIntAcquire(JOURNAL_OFFSET) != 0) {
            return true;
        }
        for (int i = 0; i < slots; i++) {
            int base = base(i);
            int pid = segment.getIntAcquire(base + SLOT_PID);
            if (pid != 0 && isDead(pid, segment.getLong(base + SLOT_START))) {
                return true;
            }
        }
        segment.checkOpen();
        return false;
    }

    private int reclaimDeadLocked() {
        int returned = 0;
        for (int i = 0; i < slots; i++) {
            int base = base(i);
            int pid = segment.getInt(base + SLOT_PID);
            if (pid != 0 && isDead(pid, segment.getLong(base + SLOT_START))) {
                returned += reclaim(i);
            }
        }
        return returned;
    }

    /** Returns a dead holder's permits and frees its slot; the caller holds the book. */
    private int reclaim(int slot) {
        int base = base(slot);
        int held = segment.getInt(base + SLOT_HELD);
        if (held == 0) {
            segment.setIntRelease(base + SLOT_PID, 0); // one store: its own commit
            return 0;
        }
        long state = segment.getLongAcquire(STATE_OFFSET);
        int orphans = segment.getInt(ORPHANS_OFFSET);
        long recovered = segment.getLong(RECOVERED_OFFSET);
        begin(slot, state);
        while (!segment.compareAndSetLong(STATE_OFFSET, state, state + held)) {
            state = segment.getLongAcquire(STATE_OFFSET);
        }
        segment.setInt(ORPHANS_OFFSET, orphans + held);
        segment.setLong(RECOVERED_OFFSET, recovered + held);
        segment.setInt(base + SLOT_HELD, 0);
        segment.setInt(base + SLOT_INHERITED, 0);
        segment.setIntRelease(base + SLOT_PID, 0);
        commit();
        return held;
    }

    private static boolean isDead(int pid, long start) {
        if (pid == ME.pid() && start == ME.startTime()) {
            return false;
        }
        return ProcessId.startTimeOf(pid) != start; // start is stored before pid: no live mismatch window
    }

    /**
     * This process's slot; with {@code claim}, else a free one (the caller claims it in its
     * update); -1 if none. The caller holds the book.
     */
    private int mine(boolean claim) {
        int h = hint;
        if (h >= 0 && isMine(h)) {
            return h;
        }
        int free = -1;
        int idle = -1;
        for (int i = 0; i < slots; i++) {
            int pid = segment.getInt(base(i) + SLOT_PID);
            if (pid == 0) {
                if (free < 0) {
                    free = i;
                }
            } else if (isMine(i)) {
                hint = i;
                return i;
            } else if (idle < 0 && segment.getInt(base(i) + SLOT_HELD) == 0) {
                idle = i; // its holder holds nothing: it finds another slot on its next take
            }
        }
        if (!claim) {
            return -1;
        }
        if (h >= 0 && segment.getInt(base(h) + SLOT_PID) == 0) {
            return h; // this process's old slot is free again: keep using it
        }
        if (free < 0) {
            free = idle;
        }
        if (free >= 0) {
            hint = free;
        }
        return free;
    }

    private boolean isMine(int slot) {
        int base = base(slot);
        return segment.getInt(base + SLOT_PID) == ME.pid() && segment.getLong(base + SLOT_START) == ME.startTime();
    }

    private static int base(int slot) {
        return SLOTS_OFFSET + slot * SLOT_LENGTH;
    }

    // ---- reading ----------------------------------------------------------------------------------

    /** Permits this process holds (a snapshot, without the book). */
    int heldByMe() {
        int slot = findMineUnlocked();
        return slot < 0 ? 0 : segment.getIntAcquire(base(slot) + SLOT_HELD);
    }

    /** Of the permits this process holds, those a dead holder had held (a snapshot). */
    int inheritedByMe() {
        int slot = findMineUnlocked();
        return slot < 0 ? 0 : segment.getIntAcquire(base(slot) + SLOT_INHERITED);
    }

    private int findMineUnlocked() {
        for (int i = 0; i < slots; i++) {
            int base = base(i);
            if (segment.getIntAcquire(base + SLOT_PID) == ME.pid()
                    && segment.getLong(base + SLOT_START) == ME.startTime()) {
                return i;
            }
        }
        segment.checkOpen();
        return -1;
    }

    /** Permits ever returned from dead holders. */
    long recovered() {
        return segment.getLongAcquire(RECOVERED_OFFSET);
    }
}
