package dev.procsync.sync;

import static dev.procsync.layout.ConditionLayout.NOTIFIED;
import static dev.procsync.layout.ConditionLayout.SLOTS;
import static dev.procsync.layout.ConditionLayout.SLOTS_OFFSET;
import static dev.procsync.layout.ConditionLayout.SLOT_LENGTH;
import static dev.procsync.layout.ConditionLayout.TICKET_OFFSET;
import static dev.procsync.layout.ConditionLayout.WAITERS_OFFSET;
import static dev.procsync.layout.ConditionLayout.WAITING;

import dev.procsync.process.ProcessId;
import dev.procsync.segment.Segment;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The waiter slots of a {@link Condition}: claiming one for a wait, freeing it, notifying the
 * oldest live waiters, reaping dead ones. Owns the condition's layout. Claims and notifications run
 * under the condition's lock; frees (a waiter's cancel, a close, a reaper) may race them, hence the
 * CASes. One instance per condition handle; it remembers the slots of this handle's waits so that
 * closing the handle can free them.
 */
final class ConditionSlots {
    /*
     * Layout (absolute offsets; params: 0 = slots, 1 = lock kind code, 2 = lock name hashCode):
     *
     *  offset       size  field
     *  128          4     waiters     slots claimed and not yet freed (a hint: 0 lets notify skip the scan)
     *  132          4     nextTicket  ticket of the next waiter (arrival order, wraps)
     *  136..191           reserved
     *  192 + 16*i   4     slot word   futex word of waiter slot i, table below
     *  196 + 16*i   4     ticket      the waiter's ticket: notify picks the oldest
     *  200 + 16*i   8     start       the waiter's process start time (ticks)
     *
     * Slot word (bits 0-21 pid as in LockWord, bits 28-29 state):
     *  0                free           waiter (holding the lock): CAS 0 -> pid|WAITING, then ticket, start
     *  pid|WAITING      asleep         notifier: live pid  -> CAS pid|NOTIFIED, FUTEX_WAKE 1 on the slot
     *                                            dead pid  -> CAS 0 (reaped; not counted against n)
     *                                  waiter timed out / interrupted / handle closed: CAS -> 0
     *  pid|NOTIFIED     notified       waiter: CAS -> 0 and return true; a dead one is reaped when slots run out
     *
     * Why slots and not a sequence counter: each waiter is woken by its own word, so notify(1)
     * wakes exactly one sleeper, and the notify-versus-timeout race is one CAS on one word: a
     * cancelled waiter can never be counted as notified, and a notified one never times out.
     * Every claim and notify runs under the lock; cancels run without it, hence the CASes.
     */

    private static final ProcessId ME = ProcessId.current();
    /*
     * Liveness of waiters in other processes, as last read from /proc, per pid. A notifier trusts
     * a reading younger than VERIFIED_NANOS: a waiter that died within that window may absorb one
     * notification, as one that dies just after the notifier's check always could. Without it
     * every cross-process notify paid a /proc read (most of a 57 us ping-pong round trip).
     */
    private static final long VERIFIED_NANOS = 20_000_000L;
    private static final ConcurrentHashMap<Integer, Verified> VERIFIED = new ConcurrentHashMap<>();

    private final Segment segment;
    private final String what;
    private final Set<Integer> mySlots = ConcurrentHashMap.newKeySet();

    ConditionSlots(Segment segment, String what) {
        this.segment = segment;
        this.what = what;
    }

    /** Claims a free slot (under the lock); reaps dead waiters' slots if none is free. */
    int claim(int word) {
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < SLOTS; i++) {
                int offset = SLOTS_OFFSET + i * SLOT_LENGTH;
                int w = segment.getIntAcquire(offset);
                if (w != 0 && pass == 1 && !isAlive(offset, w)) {
                    free(offset, w);
                    w = segment.getIntAcquire(offset);
                }
                // CAS: a cancelling waiter or a same-process thread may race us for the slot.
                if (w == 0 && segment.compareAndSetInt(offset, 0, word)) {
                    segment.setInt(offset + 4, segment.getAndAddInt(TICKET_OFFSET, 1));
                    segment.setLong(offset + 8, ME.startTime());
                    segment.getAndAddInt(WAITERS_OFFSET, 1);
                    mySlots.add(offset);
                    return offset;
                }
            }
        }
        throw new TooManyWaitersException(what + " has no free waiter slot: all " + SLOTS
                + " are taken by live waiters");
    }

    /** Frees a slot still holding {@code word}; true if this call freed it. */
    boolean free(int offset, int word) {
        // CAS: the waiter, its closing handle and reapers may all try; exactly one decrements.
        if (segment.compareAndSetInt(offset, word, 0)) {
            segment.getAndAddInt(WAITERS_OFFSET, -1);
            return true;
        }
        return false;
    }

    private boolean isAlive(int offset, int word) {
        int pid = LockWord.pid(word);
        if (pid == ME.pid()) {
            return true;
        }
        long start = segment.getLong(offset + 8);
        long now = System.nanoTime();
        Verified v = VERIFIED.get(pid);
        if (v != null && v.startTime == start && now - v.atNanos < VERIFIED_NANOS) {
            return true;
        }
        // Reading /proc/<pid>/stat costs tens of microseconds: once per pid per VERIFIED_NANOS.
        boolean alive = ProcessId.startTimeOf(pid) == start;
        if (alive) {
            if (VERIFIED.size() >= 4096) {
                VERIFIED.clear(); // many short-lived waiters: start over rather than grow
            }
            VERIFIED.put(pid, new Verified(start, now));
        } else {
            VERIFIED.remove(pid);
        }
        return alive;
    }

    /** A waiter process seen alive: its start time and when (System.nanoTime). */
    private record Verified(long startTime, long atNanos) {
    }

    /** This handle's wait of the slot ended (its slot is free or being freed by the waiter). */
    void forget(int offset) {
        mySlots.remove(offset);
    }

    /** Frees the slots of this handle's pending waits (close): they absorb no notification. */
    void freeMine() {
        for (int offset : mySlots) {
            int w = segment.getIntAcquire(offset);
            if (LockWord.pid(w) == ME.pid()) {
                free(offset, w);
            }
        }
    }

    /** Claimed slots not yet freed, dead waiters not yet reaped included (a snapshot). */
    int waiterCount() {
        return segment.getIntAcquire(WAITERS_OFFSET);
    }

    /** Wakes up to {@code n} of the longest-waiting live waiters; the caller holds the lock. */
    int wake(int n) {
        if (n == 0 || segment.getIntAcquire(WAITERS_OFFSET) == 0) {
            return 0;
        }
        int woken = 0;
        if (n >= SLOTS) {
            for (int i = 0; i < SLOTS; i++) {
                int offset = SLOTS_OFFSET + i * SLOT_LENGTH;
                if (tryNotify(offset, segment.getIntAcquire(offset))) {
                    woken++;
                }
            }
            return woken;
        }
        while (woken < n) {
            int oldest = -1;
            int oldestWord = 0;
            int next = segment.getIntAcquire(TICKET_OFFSET);
            int oldestAge = -1;
            for (int i = 0; i < SLOTS; i++) {
                int offset = SLOTS_OFFSET + i * SLOT_LENGTH;
                int w = segment.getIntAcquire(offset);
                if ((w & WAITING) != 0) {
                    int age = next - segment.getInt(offset + 4); // unsigned distance: wraps safely
                    if (oldest < 0 || Integer.compareUnsigned(age, oldestAge) > 0) {
                        oldest = offset;
                        oldestWord = w;
                        oldestAge = age;
                    }
                }
            }
            if (oldest < 0) {
                break;
            }
            if (tryNotify(oldest, oldestWord)) {
                woken++;
            }
        }
        return woken;
    }

    private boolean tryNotify(int offset, int word) {
        if ((word & WAITING) == 0) {
            return false;
        }
        if (!isAlive(offset, word)) {
            free(offset, word);
            return false;
        }
        // CAS: the waiter may be cancelling (timeout, interrupt) at this moment; the winner decides.
        if (segment.compareAndSetInt(offset, word, LockWord.pid(word) | NOTIFIED)) {
            segment.wake(offset, 1);
            return true;
        }
        return false;
    }
}
