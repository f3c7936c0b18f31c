package dev.procsync.sync;

import dev.procsync.ClosedException;
import dev.procsync.internal.InternalApi;
import dev.procsync.segment.Segment;

/**
 * One registered sleeper on a primitive's futex word, for a caller that sleeps somewhere other than
 * inside the primitive: the reactive poller, which waits for many words in one
 * {@code futex_waitv} call instead of blocking one thread per waiter.
 *
 * <p>A watch is obtained from an {@code arm...} method ({@link Lock#armAcquire()}, {@link Semaphore#armAcquire()},
 * {@link BoundedSemaphore#armAcquire()}, {@link Event#armAwait()}). Arming counts the caller in
 * the primitive's shared sleeper count, so every process that releases or sets from then on calls
 * {@code FUTEX_WAKE} on {@link #address()}. The contract, for the holder of a watch:
 * <ol>
 *   <li>Call {@link #tryComplete()} once after arming and before the first sleep: the operation may
 *       have become possible between the caller's failed try and the arming.</li>
 *   <li>Sleep on {@link #address()} with the expected value {@link #expected()} (a futex wait or one
 *       entry of a {@link dev.procsync.futex.WaitVector}). The kernel refuses to sleep if the word no
 *       longer holds it, which closes the window between the check and the sleep. Bound every sleep
 *       (tens of ms): a process that dies between a change and its wake-up is covered by the next
 *       {@link #tryComplete()}, never by waiting forever.</li>
 *   <li>After every wake-up, timeout or spurious return, call {@link #tryComplete()}. It returns
 *       {@code true} when the operation completed (a permit was taken, the event was seen set); the
 *       watch is then disarmed and must not be slept on again. On {@code false} the watch stays
 *       armed with the same address and expected value: sleep again. A wake-up of a word may be
       meant for several watches on it (a release of n permits wakes at most n sleeping threads, and
       a poller sleeping for many watches in one {@code futex_waitv} is one thread): after a word
       changes or is woken, try <em>every</em> watch on that word.</li>
 *   <li>To give up (cancellation, timeout), call {@link #close()}. It unregisters the sleeper and,
 *       where the primitive needs it, passes on a wake-up this watch may have absorbed, so a
 *       cancelled waiter never strands another. {@link #close()} after completion does nothing.</li>
 * </ol>
 * Every method is thread-safe: a cancelling thread may race the poller's {@link #tryComplete()};
 * exactly one of them wins, and a {@link #tryComplete()} on a disarmed watch returns {@code false}.
 * Exactly-once matters: an armed watch that is never closed or completed leaves the shared sleeper
 * count one too high, which costs every later release a useless {@code FUTEX_WAKE} (never a missed
 * one).
 *
 * <p>If the primitive's handle is closed, {@link #tryComplete()} throws {@link ClosedException} and
 * the watch counts as disarmed.
 *
 * <p>Releasers wake the watched word itself and nothing else: no doorbell or other word is rung.
 * A poller that cannot sleep on all its words at once (no {@code futex_waitv}, or more than its
 * 128 words) must cover the rest by the bounded timeouts of step 2.
 */
@InternalApi
public final class Watch implements AutoCloseable {
    /** The word protocol behind a watch; implemented by each primitive's raw protocol. */
    interface Protocol {
        /**
         * Tries the operation as a registered sleeper. On success the registration is gone.
         *
         * @param expected the value the watch sleeps on
         * @return whether the operation completed
         */
        boolean tryComplete(int expected);

        /**
         * Removes the registration of a sleeper that gives up, passing on a wake-up if needed.
         *
         * @param expected the value the watch slept on
         */
        void disarm(int expected);

        /**
         * After a failed {@link #tryComplete}, the value to sleep on next. Words whose value moves
         * while the watcher waits (a lock word names its current holder) re-register here and
         * return the new value; counters keep theirs.
         *
         * @param expected the value the watch slept on
         * @return the value to sleep on from now on
         */
        default int refresh(int expected) {
            return expected;
        }
    }

    private final Segment segment;
    private final int offset;
    private volatile int expected;
    private final Protocol protocol;
    private boolean armed = true; // guarded by this

    Watch(Segment segment, int offset, int expected, Protocol protocol) {
        this.segment = segment;
        this.offset = offset;
        this.expected = expected;
        this.protocol = protocol;
    }

    /**
     * The native address of the 32-bit futex word to sleep on. Valid while the primitive's handle is
     * open; a poller must stop using it once {@link #tryComplete()} has thrown {@link ClosedException}.
     *
     * @return the address
     * @throws ClosedException if the handle is closed
     */
    public long address() {
        segment.checkOpen();
        return segment.address(offset);
    }

    /**
     * The value the word must still hold for a sleep to begin (compare-then-sleep, as in FUTEX_WAIT).
     * It may change after a {@link #tryComplete()} that returned {@code false} (a lock word names its
     * holder): read it again before every sleep.
     */
    public int expected() {
        return expected;
    }

    /** The segment holding the word (for pollers that group waits by segment). */
    public Segment segment() {
        return segment;
    }

    /** The byte offset of the word in {@link #segment()}. */
    public int offset() {
        return offset;
    }

    /** Whether this watch is still registered (neither completed nor closed). */
    public synchronized boolean isArmed() {
        return armed;
    }

    /**
     * Tries the watched operation without blocking. On success the watch is disarmed.
     *
     * @return {@code true} if the operation completed now; {@code false} if it is not possible yet
     *         (the watch stays armed) or the watch was already disarmed
     * @throws ClosedException if the primitive's handle is closed (the watch is then disarmed)
     */
    public synchronized boolean tryComplete() {
        if (!armed) {
            return false;
        }
        try {
            if (protocol.tryComplete(expected)) {
                armed = false;
                return true;
            }
            expected = protocol.refresh(expected);
            return false;
        } catch (ClosedException e) {
            armed = false; // the mapping is gone; the shared count cannot be corrected from here
            throw e;
        }
    }

    /**
     * Gives up: unregisters the sleeper (and passes on a wake-up it may have absorbed). Idempotent;
     * does nothing after completion or on a closed handle.
     */
    @Override
    public synchronized void close() {
        if (!armed) {
            return;
        }
        armed = false;
        if (segment.isClosed()) {
            return;
        }
        try {
            protocol.disarm(expected);
        } catch (ClosedException e) {
            // Closed while we unregistered: the count stays one high, which only costs spurious wakes.
        }
    }

    @Override
    public synchronized String toString() {
        return "Watch[" + segment.path().getFileName() + "@" + offset + " expecting " + expected
                + (armed ? ", armed" : ", disarmed") + "]";
    }
}
