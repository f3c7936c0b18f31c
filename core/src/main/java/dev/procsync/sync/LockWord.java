package dev.procsync.sync;

/**
 * Bits of the 32-bit owner word shared by {@link Lock} and {@code RLock}.
 *
 * <pre>
 *  bits 0-21  owner pid (0 = free); Linux pids are at most 2^22
 *  bit  30    SLEEPERS: some thread may sleep on the word; the releaser must FUTEX_WAKE
 * </pre>
 */
final class LockWord {
    static final int PID_MASK = (1 << 22) - 1;
    static final int SLEEPERS = 1 << 30;

    private LockWord() {
    }

    static int pid(int state) {
        return state & PID_MASK;
    }

    static boolean hasSleepers(int state) {
        return (state & SLEEPERS) != 0;
    }
}
