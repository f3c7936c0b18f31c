package dev.procsync.futex;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * The Java face of the futex system call over 32-bit words in shared ({@code MAP_SHARED}) memory.
 *
 * <p>Addresses are raw native addresses of 4-byte-aligned words inside a live mapping; the
 * {@link dev.procsync.segment.Segment} that owns the mapping hands them out and guarantees they
 * stay mapped for the duration of a call. Nothing here spins or loops: policy lives in the
 * primitives. Waits are always shared (never {@code FUTEX_PRIVATE_FLAG}) so that a
 * {@code FUTEX_WAKE} in one process wakes a waiter in another.
 *
 * <p>Timeouts are relative, measured on {@code CLOCK_MONOTONIC}, and in nanoseconds; a
 * negative timeout means "wait without a timeout".
 */
public final class Futex {
    private static final ThreadLocal<Memory> TIMESPEC = ThreadLocal.withInitial(() -> new Memory(64));
    private static final boolean WAITV_SUPPORTED = probeWaitv();

    private Futex() {
    }

    /**
     * Sleeps while the word at {@code address} holds {@code expected}, until woken, the
     * timeout expires, or a signal arrives.
     *
     * @param address      native address of a 4-byte-aligned word in shared memory
     * @param expected     the value the word must hold for the thread to sleep
     * @param timeoutNanos relative timeout; negative waits without a timeout
     * @return how the wait ended
     */
    public static WaitResult await(long address, int expected, long timeoutNanos) {
        long timespec = 0;
        if (timeoutNanos >= 0) {
            Memory ts = TIMESPEC.get();
            ts.setLong(0, timeoutNanos / 1_000_000_000L);
            ts.setLong(8, timeoutNanos % 1_000_000_000L);
            timespec = com.sun.jna.Pointer.nativeValue(ts);
        }
        try {
            FutexSyscall.syscall(FutexSyscall.SYS_FUTEX, address, FutexSyscall.FUTEX_WAIT,
                    expected & 0xFFFF_FFFFL, timespec, 0, 0);
            return WaitResult.WOKEN;
        } catch (LastErrorException e) {
            return fromErrno(e.getErrorCode(), "FUTEX_WAIT");
        }
    }

    /**
     * Wakes at most {@code count} threads (in any process) sleeping on the word at {@code address}.
     *
     * @param address native address of the word
     * @param count   how many sleepers to wake at most; {@link Integer#MAX_VALUE} wakes all
     * @return how many were woken
     */
    public static int wake(long address, int count) {
        try {
            return (int) FutexSyscall.syscall(FutexSyscall.SYS_FUTEX, address, FutexSyscall.FUTEX_WAKE,
                    count, 0, 0, 0);
        } catch (LastErrorException e) {
            throw new IllegalStateException("FUTEX_WAKE failed at 0x" + Long.toHexString(address)
                    + ": errno " + e.getErrorCode(), e);
        }
    }

    /** Whether this kernel implements {@code futex_waitv} (Linux 5.16 and later). */
    public static boolean waitvSupported() {
        return WAITV_SUPPORTED;
    }

    /** The most words one {@link #awaitAny} call takes (128, the kernel's limit). */
    public static int waitvMaxWords() {
        return FutexSyscall.FUTEX_WAITV_MAX;
    }

    /**
     * Sleeps until any of several words is woken or no longer holds its expected value
     * ({@code futex_waitv}). Requires {@link #waitvSupported()}.
     *
     * @param vector       a vector built by {@link WaitVector}
     * @param timeoutNanos relative timeout; negative waits without a timeout
     * @return the index of a word that was woken, or a negative {@link WaitResult} code:
     *         {@code -1} value changed, {@code -2} timed out, {@code -3} interrupted
     */
    public static int awaitAny(WaitVector vector, long timeoutNanos) {
        if (!WAITV_SUPPORTED) {
            throw new UnsupportedOperationException("futex_waitv needs Linux 5.16 or later");
        }
        long timespec = 0;
        if (timeoutNanos >= 0) {
            Memory ts = TIMESPEC.get();
            long deadline = monotonicNanos() + timeoutNanos;
            ts.setLong(0, deadline / 1_000_000_000L);
            ts.setLong(8, deadline % 1_000_000_000L);
            timespec = com.sun.jna.Pointer.nativeValue(ts);
        }
        try {
            return (int) FutexSyscall.syscall(FutexSyscall.SYS_FUTEX_WAITV, vector.address(), vector.size(), 0,
                    timespec, FutexSyscall.CLOCK_MONOTONIC, 0);
        } catch (LastErrorException e) {
            switch (fromErrno(e.getErrorCode(), "futex_waitv")) {
                case VALUE_CHANGED:
                    return AWAIT_ANY_VALUE_CHANGED;
                case TIMED_OUT:
                    return AWAIT_ANY_TIMED_OUT;
                default:
                    return AWAIT_ANY_INTERRUPTED;
            }
        }
    }

    /** {@link #awaitAny} result: a word did not hold its expected value on entry. */
    public static final int AWAIT_ANY_VALUE_CHANGED = -1;
    /** {@link #awaitAny} result: the timeout expired. */
    public static final int AWAIT_ANY_TIMED_OUT = -2;
    /** {@link #awaitAny} result: a signal interrupted the wait. */
    public static final int AWAIT_ANY_INTERRUPTED = -3;

    /** {@code CLOCK_MONOTONIC} now, in nanoseconds, as the kernel measures futex deadlines. */
    public static long monotonicNanos() {
        Memory ts = TIMESPEC.get();
        FutexSyscall.syscall(FutexSyscall.SYS_CLOCK_GETTIME, FutexSyscall.CLOCK_MONOTONIC,
                com.sun.jna.Pointer.nativeValue(ts) + 32, 0, 0, 0, 0);
        return ts.getLong(32) * 1_000_000_000L + ts.getLong(40);
    }

    private static WaitResult fromErrno(int errno, String call) {
        switch (errno) {
            case FutexSyscall.EAGAIN:
                return WaitResult.VALUE_CHANGED;
            case FutexSyscall.ETIMEDOUT:
                return WaitResult.TIMED_OUT;
            case FutexSyscall.EINTR:
                return WaitResult.INTERRUPTED;
            default:
                throw new IllegalStateException(call + " failed: errno " + errno);
        }
    }

    private static boolean probeWaitv() {
        try {
            // Zero words is EINVAL on a kernel that knows the call and ENOSYS on one that does not.
            FutexSyscall.syscall(FutexSyscall.SYS_FUTEX_WAITV, 0, 0, 0, 0, FutexSyscall.CLOCK_MONOTONIC, 0);
            return true;
        } catch (LastErrorException e) {
            return e.getErrorCode() != FutexSyscall.ENOSYS;
        }
    }
}
