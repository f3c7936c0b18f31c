package dev.procsync.process;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Decides, for one waiter, whether the process that owns a pid-owned shared word (a lock word, a
 * queue's claim lock) is dead, so that the waiter may take the word over.
 *
 * <p>The owner publishes its pid with the acquiring CAS and stores its start time beside the word
 * right after. The verdict, from a pid and the start time stored beside it:
 * <pre>
 *  no live process has the pid                          dead at once (a SIGKILLed owner, a zombie)
 *  the live process has the stored start time           alive
 *  the live process has another start time              dead only once the same word has shown the
 *                                                       mismatch continuously for the grace period
 *                                                       (1 s), measured on the clock, not in checks
 * </pre>
 * The third row has two causes: the owner died and its pid was reused, or the owner is alive
 * between its CAS and its start-time store. The second is a window of nanoseconds, but a
 * descheduled thread, a safepoint pause or SIGSTOP can stretch it, and a waiter may check many
 * times in a row (the reactive poller checks after every wake-up of the word, and a cancelled
 * waiter's hand-on wake-up wakes the others). Counting checks would let a busy waiter force a live
 * owner; a grace on the clock cannot, unless the owner is frozen for the whole grace inside that
 * one window. The cost is that a dead owner whose pid was already reused is taken over one grace
 * later than one whose pid is gone.
 *
 * <p>Not thread-safe: one instance per waiter.
 */
public final class OwnerWatch {
    /** How long a start-time mismatch must persist on an unchanged word before the owner counts as dead. */
    public static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final int MY_PID = ProcessId.current().pid();

    private final long graceNanos;
    private final LongSupplier clock;
    private boolean suspecting;
    private long suspectWord;
    private long suspectSince;

    /** A watch with the default grace on {@link System#nanoTime()}. */
    public OwnerWatch() {
        this(GRACE_NANOS, System::nanoTime);
    }

    /**
     * A watch with another grace or clock (for tests).
     *
     * @param graceNanos how long a mismatch must persist, not negative
     * @param clock      a monotonic nanosecond clock
     */
    public OwnerWatch(long graceNanos, LongSupplier clock) {
        if (graceNanos < 0) {
            throw new IllegalArgumentException("negative grace: " + graceNanos);
        }
        this.graceNanos = graceNanos;
        this.clock = clock;
    }

    /**
     * Checks the owner of a word.
     *
     * @param word        the word as last read (identifies the hold: a change restarts the grace)
     * @param pid         the owner pid recorded in it; 0 means no owner
     * @param storedStart the owner start time stored beside it
     * @return whether the owner is certainly dead; never {@code true} for this process's own pid
     */
    public boolean isOwnerDead(long word, int pid, long storedStart) {
        if (pid == 0 || pid == MY_PID) {
            return false;
        }
        long actual = ProcessId.startTimeOf(pid);
        if (actual < 0) {
            return true;
        }
        if (actual == storedStart) {
            suspecting = false;
            return false;
        }
        long now = clock.getAsLong();
        if (!suspecting || word != suspectWord) {
            suspecting = true;
            suspectWord = word;
            suspectSince = now;
            return false;
        }
        return now - suspectSince >= graceNanos;
    }
}
