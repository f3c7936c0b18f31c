package dev.procsync.segment;

import dev.procsync.ClosedException;
import dev.procsync.internal.InternalApi;

/**
 * One registered sleeper on an <em>eventcount</em> in a segment: a count of registered waiters and
 * a 32-bit sequence word that every publisher bumps (and {@code FUTEX_WAKE}s) whenever the count is
 * not zero. For a caller that sleeps somewhere other than inside the primitive: the reactive
 * poller, which waits for many words in one {@code futex_waitv}. Obtained from a primitive's arm
 * hook, which counts the caller in exactly as a blocking wait of that primitive does:
 * {@code Connection.armReceive()} (a pipe's data word), {@code Connection.armSend(frame)} (its
 * space word), {@code armChanges()} of the scalar shared values (their change word).
 *
 * <p>The contract, for the holder of a watch:
 * <ol>
 *   <li>Read {@link #sequence()}, <em>then</em> check the condition the primitive's hook names
 *       (a message there, room for the frame, a value other than the last one seen). If it holds,
 *       act on it.</li>
 *   <li>Otherwise sleep on {@link #address()} while the word holds the value read in step 1 (a
 *       bounded futex wait or one entry of a {@link dev.procsync.futex.WaitVector}); bound every
 *       sleep (tens of ms) so that a peer that dies without publishing is noticed. Then go back to
 *       step 1.</li>
 *   <li>When done, or to give up, call {@link #close()} exactly once (more calls do nothing). A
 *       watch that is never closed leaves the count one too high, which costs every later publish
 *       a useless bump and {@code FUTEX_WAKE}, never a missed one.</li>
 * </ol>
 * Reading the sequence before the check closes the window between them: a publisher that
 * publishes after the read also bumps the word, so the sleep returns at once. The registration and
 * the publishers' check of the count are both volatile operations ordered after their own stores
 * (Dekker): either the publisher sees the count, or the watcher sees the publication. Every
 * method is thread-safe.
 */
@InternalApi
public final class SequenceWatch implements AutoCloseable {
    private final Segment segment;
    private final int waiting;
    private final int seqWord;
    private boolean armed = true; // guarded by this

    private SequenceWatch(Segment segment, int waiting, int seqWord) {
        this.segment = segment;
        this.waiting = waiting;
        this.seqWord = seqWord;
    }

    /**
     * Registers a sleeper: the same atomic add (a volatile read-modify-write) of the waiter count
     * that a blocking waiter of the primitive makes before it sleeps. For primitives' arm hooks.
     *
     * @param segment the primitive's segment
     * @param waiting offset of its 32-bit waiter count
     * @param seqWord offset of its 32-bit sequence (futex) word
     * @return the registered watch
     * @throws ClosedException if the segment is closed
     */
    public static SequenceWatch register(Segment segment, int waiting, int seqWord) {
        segment.checkOpen();
        segment.getAndAddInt(waiting, 1);
        return new SequenceWatch(segment, waiting, seqWord);
    }

    /**
     * The native address of the 32-bit futex word to sleep on; valid while the primitive's handle is open.
     *
     * @return the address
     * @throws ClosedException if the handle is closed
     */
    public long address() {
        segment.checkOpen();
        return segment.address(seqWord);
    }

    /**
     * Reads the word (acquire): the value to sleep on if the check that follows fails.
     *
     * @return the current sequence
     * @throws ClosedException if the handle is closed
     */
    public int sequence() {
        segment.checkOpen();
        return segment.getIntAcquire(seqWord);
    }

    /** Whether this watch is still registered. @return whether it is */
    public synchronized boolean isArmed() {
        return armed;
    }

    /** Unregisters the sleeper. Idempotent; does nothing on a closed handle. */
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
            segment.getAndAddInt(waiting, -1);
        } catch (ClosedException e) {
            // Closed under us: the count no longer matters to this process, and a dead count only costs wake-ups.
        }
    }

    @Override
    public synchronized String toString() {
        return "SequenceWatch[" + segment.path().getFileName() + "@" + seqWord + (armed ? ", armed" : ", disarmed")
                + "]";
    }
}
