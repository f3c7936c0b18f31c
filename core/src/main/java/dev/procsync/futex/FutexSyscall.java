package dev.procsync.futex;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The raw Linux futex binding: {@code syscall(2)} bound by JNA <em>direct mapping</em> with a fixed
 * arity of seven 64-bit arguments, mirroring {@code <linux/futex.h>}.
 *
 * <p>Direct mapping costs about 560 ns per call on the reference VM against 1,400–1,600 ns for
 * interface mapping (DESIGN §4), and every call here is already off the uncontended path.
 * {@code syscall} is variadic in C; passing every argument as a 64-bit integer is what the
 * x86-64 and AArch64 Linux calling conventions do for variadic integer arguments, and the
 * kernel reads only the low 32 bits of the {@code u32} parameters.
 *
 * <p>errno contract, from futex(2):
 * <pre>
 * FUTEX_WAIT   0  woken by FUTEX_WAKE (or spuriously)
 *              EAGAIN     *uaddr != val at the time of the call
 *              ETIMEDOUT  the relative timeout expired
 *              EINTR      a signal interrupted the wait
 * FUTEX_WAKE   n  number of waiters woken
 * futex_waitv  index of the woken futex
 *              EAGAIN     one of the words did not hold its expected value
 *              ETIMEDOUT  the absolute timeout expired
 *              ENOSYS     the kernel has no futex_waitv (before 5.16)
 * </pre>
 */
final class FutexSyscall {
    static final boolean X86_64 = Platform.isIntel() && Platform.is64Bit();

    /** {@code SYS_futex}: 202 on x86-64, 98 on the generic (AArch64) table. */
    static final long SYS_FUTEX = X86_64 ? 202 : 98;
    /** {@code SYS_futex_waitv}: 449 on every 64-bit table (Linux 5.16). */
    static final long SYS_FUTEX_WAITV = 449;
    /** {@code SYS_clock_gettime}: 228 on x86-64, 113 on AArch64. */
    static final long SYS_CLOCK_GETTIME = X86_64 ? 228 : 113;

    static final int FUTEX_WAIT = 0;            // wait while *uaddr == val, relative timeout
    static final int FUTEX_WAKE = 1;            // wake up to val waiters
    // FUTEX_PRIVATE_FLAG (128) is never used: every word lives in MAP_SHARED memory.

    static final int FUTEX2_SIZE_U32 = 0x02;    // futex_waitv element flag: 32-bit word, shared
    static final int FUTEX_WAITV_MAX = 128;     // most words one futex_waitv call takes
    static final int FUTEX_WAITV_ENTRY = 24;    // struct futex_waitv { u64 val; u64 uaddr; u32 flags; u32 pad; }

    static final int CLOCK_MONOTONIC = 1;

    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENOSYS = 38;
    static final int ETIMEDOUT = 110;

    static final int TIMESPEC_LENGTH = 16;      // struct timespec { long tv_sec; long tv_nsec; }

    static {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            throw new UnsatisfiedLinkError("procsync needs 64-bit Linux; this is " + System.getProperty("os.name")
                    + " " + System.getProperty("os.arch"));
        }
        Native.register(FutexSyscall.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private FutexSyscall() {
    }

    /** {@code long syscall(long number, ...)}; returns -1 and throws with errno on failure. */
    static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6)
            throws LastErrorException;
}
