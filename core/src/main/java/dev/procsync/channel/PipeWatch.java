package dev.procsync.channel;

import dev.procsync.ClosedException;
import dev.procsync.segment.Segment;

/**
 * One registered sleeper on a pipe ring's data or space word, for a caller that sleeps somewhere
 * other than inside {@link Connection} (the reactive poller, which waits for many words in one
 * {@code futex_waitv}). Obtained from {@link Connection#armReceive()}, which counts the caller in
 * the ring's {@code readersWaiting} exactly as a blocking receive does before it sleeps, so every
 * publish by the writer from then on bumps {@code dataSeq} and calls {@code FUTEX_WAKE} on
 * {@link #address()}; or from {@link Connection#armSend(long)}, the writer's side: counted in
 * {@code writersWaiting}, woken through {@code spaceSeq} once the reader has freed the space asked
 * for. For a send, the check of step 1 is {@link Connection#canSendNow(long)} and the action
 * {@link Connection#trySendBytes}.
 *
 * <p>The contract, for the holder of a watch (the eventcount of {@code PipeRing}):
 * <ol>
 *   <li>Read {@link #sequence()}, <em>then</em> check {@link Connection#poll()}. If a message (or
 *       end of stream) is there, receive it.</li>
 *   <li>Otherwise sleep on {@link #address()} while the word holds the value read in step 1 (a
 *       bounded futex wait or one entry of a {@link dev.procsync.futex.WaitVector}); bound every
 *       sleep (tens of ms) so that a peer that dies without publishing is noticed by the next
 *       {@link Connection#poll()}. Then go back to step 1.</li>
 *   <li>When done, or to give up, call {@link #close()} exactly once (more calls do nothing). A
 *       watch that is never closed leaves the waiter count one too high, which costs every later
 *       publish of the writer a useless {@code FUTEX_WAKE}, never a missed one.</li>
 * </ol>
 * Reading the sequence before the check closes the window between them: a writer that publishes
 * after the read also bumps the word, so the sleep returns at once. Every method is thread-safe.
 */
public final class PipeWatch implements AutoCloseable {
    private final Segment segment;
    private final int waiting;
    private final int seqWord;
    private boolean armed = true; // guarded by this

    /** Registers: the same {@code getAndAdd(+1)} (a full fence) as a blocking waiter's. */
    PipeWatch(Segment segment, int waiting, int seqWord) {
        this.segment = segment;
        this.waiting = waiting;
        this.seqWord = seqWord;
        segment.getAndAddInt(waiting, 1);
    }

    /**
     * The native address of the 32-bit futex word to sleep on; valid while the connection is open.
     *
     * @return the address
     * @throws ClosedException if the connection is closed
     */
    public long address() {
        segment.checkOpen();
        return segment.address(seqWord);
    }

    /**
     * Reads the word (acquire): the value to sleep on if the check that follows fails.
     *
     * @return the current sequence
     * @throws ClosedException if the connection is closed
     */
    public int sequence() {
        segment.checkOpen();
        return segment.getIntAcquire(seqWord);
    }

    /** Whether this watch is still registered. @return whether it is */
    public synchronized boolean isArmed() {
        return armed;
    }

    /** Unregisters the sleeper. Idempotent; does nothing on a closed connection. */
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
        return "PipeWatch[" + segment.path().getFileName() + "@" + seqWord + (armed ? ", armed" : ", disarmed") + "]";
    }
}
