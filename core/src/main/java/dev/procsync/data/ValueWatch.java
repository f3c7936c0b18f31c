package dev.procsync.data;

import dev.procsync.ClosedException;
import dev.procsync.segment.Segment;

/**
 * One registered watcher of a shared scalar value's changes, for a caller that sleeps somewhere
 * other than in the value (the reactive poller, which waits for many words in one
 * {@code futex_waitv}). Obtained from {@code armChanges()} of {@link SharedInt}, {@link SharedLong},
 * {@link SharedDouble} or {@link SharedBoolean}, which counts the caller in the value's watchers, so
 * that every write of the value from then on, in any process, bumps its change word and calls
 * {@code FUTEX_WAKE} on {@link #address()}.
 *
 * <p>The contract (an eventcount, as in {@link dev.procsync.channel.PipeWatch}):
 * <ol>
 *   <li>Read {@link #sequence()}, <em>then</em> read the value and compare it with the last one
 *       the caller saw. If it differs, there is a change.</li>
 *   <li>Otherwise sleep on {@link #address()} while the word holds the value read in step 1 (a
 *       bounded futex wait or one entry of a {@link dev.procsync.futex.WaitVector}), then go back to
 *       step 1. A write that makes the value equal to the last one seen (A, B, A between two looks)
 *       wakes the watcher but shows no change: watchers see values, not writes.</li>
 *   <li>Call {@link #close()} exactly once (more calls do nothing). A watch that is never closed
 *       leaves the count one too high, which costs every later write one useless atomic add and
 *       {@code FUTEX_WAKE}, never a missed change.</li>
 * </ol>
 * Every method is thread-safe.
 */
public final class ValueWatch implements AutoCloseable {
    private final Segment segment;
    private final int watchers;
    private final int seqWord;
    private boolean armed = true; // guarded by this

    /** Registers: an atomic add (volatile) before the caller's first read of the value. */
    ValueWatch(Segment segment, int watchers, int seqWord) {
        this.segment = segment;
        this.watchers = watchers;
        this.seqWord = seqWord;
        segment.getAndAddInt(watchers, 1);
    }

    /**
     * The native address of the 32-bit futex word to sleep on; valid while the value's handle is open.
     *
     * @return the address
     * @throws ClosedException if the value's handle is closed
     */
    public long address() {
        segment.checkOpen();
        return segment.address(seqWord);
    }

    /**
     * Reads the word (acquire): the value to sleep on if the comparison that follows shows no change.
     *
     * @return the current sequence
     * @throws ClosedException if the value's handle is closed
     */
    public int sequence() {
        segment.checkOpen();
        return segment.getIntAcquire(seqWord);
    }

    /** Whether this watch is still registered. @return whether it is */
    public synchronized boolean isArmed() {
        return armed;
    }

    /** Unregisters the watcher. Idempotent; does nothing on a closed handle. */
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
            segment.getAndAddInt(watchers, -1);
        } catch (ClosedException e) {
            // Closed meanwhile: the count stays one high, which only costs useless wake-ups.
        }
    }

    @Override
    public synchronized String toString() {
        return "ValueWatch[" + segment.path().getFileName() + (armed ? ", armed" : ", closed") + "]";
    }
}
