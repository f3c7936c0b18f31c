package dev.procsync.futex;

import com.sun.jna.LastErrorException;

/**
 * The Linux {@code membarrier(2)} system call, for asymmetric fences: a hot path that needs a
 * store-load fence only against a rare peer leaves it out, and the rare peer calls
 * {@link #fenceEveryone()} instead, which makes every running thread of every registered process
 * execute a full memory barrier before the call returns.
 *
 * <p>The hot side must still keep its accesses in program order in the instruction stream: in
 * HotSpot, opaque, acquire and release VarHandle accesses are each bracketed by compiler-ordering
 * barriers, so a store and a later load of that kind are never swapped by the JIT; the CPU may
 * still let the load pass the store, which is what the peer's call repairs. A thread that is not
 * running passed through a full barrier when it was switched out.
 *
 * <p>Constants mirror {@code <linux/membarrier.h>}; errno contract, from membarrier(2):
 * <pre>
 * MEMBARRIER_CMD_QUERY                        bit mask of the supported commands
 * MEMBARRIER_CMD_GLOBAL_EXPEDITED             0; a barrier on every running thread of every
 *                                             process that registered (the caller need not)
 * MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED    0; this process receives those barriers
 *                                             EINVAL   command not supported
 *                                             ENOSYS   no membarrier (before Linux 4.3, or seccomp)
 *                                             EPERM    disabled (nohz_full CPUs for some commands)
 * </pre>
 * Linux 4.16 added the expedited global commands; where they are missing, {@link #isAvailable()}
 * is false and callers keep their ordinary fences.
 */
public final class Membarrier {
    /** {@code SYS_membarrier}: 324 on x86-64, 283 on the generic (AArch64) table. */
    static final long SYS_MEMBARRIER = FutexSyscall.X86_64 ? 324 : 283;

    static final int MEMBARRIER_CMD_QUERY = 0;                          // supported commands
    static final int MEMBARRIER_CMD_GLOBAL_EXPEDITED = 1 << 1;          // fence registered processes
    static final int MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = 1 << 2; // register this process

    private static final boolean AVAILABLE = probe();
    private static volatile boolean registered;

    private Membarrier() {
    }

    /** Whether this kernel has the expedited global commands. */
    public static boolean isAvailable() {
        return AVAILABLE;
    }

    /** Whether {@link #register()} has succeeded in this process. */
    public static boolean isRegistered() {
        return registered;
    }

    /**
     * Registers this process to receive {@link #fenceEveryone()} barriers; idempotent and cheap
     * after the first call. A hot path may leave out its fence only once this returned true.
     *
     * @return whether this process is registered
     */
    public static boolean register() {
        if (registered) {
            return true;
        }
        if (!AVAILABLE) {
            return false;
        }
        synchronized (Membarrier.class) {
            if (!registered) {
                registered = call(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED) == 0;
            }
            return registered;
        }
    }

    /**
     * Makes every running thread of every registered process (this one included, if registered)
     * execute a full memory barrier, and is itself one: everything stored before the call by any
     * of them is visible after it to the caller, and they read after their barrier what the
     * caller stored before the call. Costs a few microseconds (one IPI per busy CPU).
     *
     * @throws IllegalStateException if the kernel refuses (it has no such command: check
     *                               {@link #isAvailable()} first)
     */
    public static void fenceEveryone() {
        if (!tryFenceEveryone()) {
            throw new IllegalStateException("membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED) refused by the kernel");
        }
    }

    /**
     * {@link #fenceEveryone()}, reporting a refusal instead of throwing (a process whose seccomp
     * filter forbids the call while others on the same kernel registered).
     *
     * @return whether the barrier was executed
     */
    public static boolean tryFenceEveryone() {
        return call(MEMBARRIER_CMD_GLOBAL_EXPEDITED) == 0;
    }

    private static boolean probe() {
        long commands = call(MEMBARRIER_CMD_QUERY);
        int needed = MEMBARRIER_CMD_GLOBAL_EXPEDITED | MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED;
        return commands >= 0 && (commands & needed) == needed;
    }

    /** @return the call's result, or -errno */
    private static long call(int command) {
        try {
            return FutexSyscall.syscall(SYS_MEMBARRIER, command, 0, 0, 0, 0, 0);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }
}
