package dev.procsync.sync;

import static dev.procsync.layout.LockLayout.PID_MASK;
import static dev.procsync.layout.LockLayout.SLEEPERS;

/**
 * Bits of the 32-bit owner word shared by {@link Lock} and {@code RLock}.
 *
 * <pre>
 *  bits 0-21  owner pid (0 = free); Linux pids are at most 2^22
 *  bit  30    SLEEPERS: some thread may sleep on the word; the releaser must FUTEX_WAKE
 * </pre>
 */
final class LockWord {

    private LockWord() {
    }

    static int pid(int state) {
        return state & PID_MASK;
    }

    static boolean hasSleepers(int state) {
        return (state & SLEEPERS) != 0;
    }
}
