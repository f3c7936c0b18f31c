package dev.procsync.sync;

import dev.procsync.process.ProcessId;

/**
 * Decides, for one waiter, whether the owner recorded in a lock word is dead.
 *
 * <p>The word holds the owner's pid; the owner's start time is stored beside it just after the
 * acquiring CAS. If no process has the pid, the owner is dead. If a process has it but started at
 * another time, either the pid was reused (owner dead) or the owner has taken the lock and not
 * yet stored its start time; the second reading is a window of nanoseconds, so the owner is
 * declared dead only when the mismatch is seen on two checks at least one sleep slice apart with
 * the word unchanged. A live owner is never declared dead.
 */
final class OwnerWatch {
    private static final int MY_PID = ProcessId.current().pid();

    private int suspectState;
    private int strikes;

    /**
     * Checks the owner in {@code state}.
     *
     * @param state       the lock word as last read (pid in the low 22 bits)
     * @param storedStart the owner start time stored beside it
     * @return whether the owner is certainly dead
     */
    boolean isOwnerDead(int state, long storedStart) {
        int pid = state & LockWord.PID_MASK;
        if (pid == 0 || pid == MY_PID) {
            return false;
        }
        long actual = ProcessId.startTimeOf(pid);
        if (actual < 0) {
            return true;
        }
        if (actual == storedStart) {
            strikes = 0;
            return false;
        }
        if (state == suspectState) {
            return ++strikes >= 2;
        }
        suspectState = state;
        strikes = 1;
        return false;
    }
}
