package dev.procsync.channel;

import static dev.procsync.layout.PipeLayout.DATA_SEQ;
import static dev.procsync.layout.PipeLayout.HEAD;
import static dev.procsync.layout.PipeLayout.READERS_WAITING;
import static dev.procsync.layout.PipeLayout.SPACE_SEQ;
import static dev.procsync.layout.PipeLayout.TAIL;
import static dev.procsync.layout.PipeLayout.WRITERS_WAITING;
import static dev.procsync.layout.PipeLayout.WRITER_WANTS;

import dev.procsync.futex.Spinner;
import dev.procsync.futex.WakeIntent;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SequenceWatch;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;

/**
 * One direction of a {@link Pipe}: a single-producer single-consumer byte ring in a segment, with
 * the futex words its two sides sleep on.
 *
 * <pre>
 *  control block (192 bytes, three cache lines; offsets relative to its start)
 *  0    8  head            bytes ever written (writer: release store after copying)
 *  8    4  dataSeq         futex word the reader sleeps on; bumped by the writer when readers wait
 *  64   8  tail            bytes ever read (reader: release store after copying out)
 *  72   4  spaceSeq        futex word the writer sleeps on; bumped by the reader when writers wait
 *  128  4  readersWaiting  threads about to sleep on dataSeq (getAndAdd +1 / -1)
 *  132  4  writersWaiting  threads about to sleep on spaceSeq
 *  136  8  writerWants     free bytes the sleeping writer waits for (release store before it sleeps)
 *  data: capacity bytes (a power of two); stream byte p lives at data + (p &amp; (capacity - 1))
 * </pre>
 */
final class PipeRing {
    /*
     * Stream: each message is an 8-byte little-endian length L (0 <= L <= Pipe.MAX_MESSAGE) followed
     * by L bytes; frames wrap around the ring end freely. head - tail is the number of unread bytes,
     * 0..capacity. A message longer than the free space is streamed: the writer publishes head each
     * time the ring fills, the reader publishes tail each time it drains, so any length flows
     * through any capacity.
     *
     * Hysteresis: a writer that finds the ring full stores writerWants = min(rest of its frame,
     * capacity / 2) and waits for that much free space; a reader wakes it only once its releases
     * have freed that much. Without it, a full ring makes the two sides trade one message and one
     * FUTEX_WAKE at a time.
     *
     * Sleeping (an eventcount, so no wake-up is lost and the fast path has no syscall):
     *   waiter:  waiting += 1; fullFence; seq = acquire(seqWord); if condition holds -> done;
     *            else FUTEX_WAIT(seqWord, seq, slice); finally waiting -= 1
     *   waker:   release(head or tail); fullFence; if waiting != 0 -> seqWord += 1; FUTEX_WAKE all
     * The full fences order each side's store before its load (Dekker): either the waker sees the
     * waiter's count, or the waiter sees the new head/tail. A bumped seqWord makes a FUTEX_WAIT
     * that has not started yet return at once.
     */

    /** How a wait ended. */
    enum Wait { READY, TIMED_OUT, PEER_GONE }

    /** Whether the other end is gone. */
    interface PeerCheck {
        /**
         * @param checkLiveness also check whether the peer's process is alive (reads /proc), not only its owner word
         * @return whether the peer end is closed (or, if checked, its process dead)
         */
        boolean isGone(boolean checkLiveness);
    }

    private final Segment segment;
    private final ByteBuffer view;
    private final int ctl;
    private final int data;
    final int capacity;
    private final int mask;
    private final byte[] scratch = new byte[8];

    PipeRing(Segment segment, ByteBuffer view, int ctl, int data, int capacity) {
        this.segment = segment;
        this.view = view;
        this.ctl = ctl;
        this.data = data;
        this.capacity = capacity;
        this.mask = capacity - 1;
    }

    long head() {
        return segment.getLongAcquire(ctl + HEAD);
    }

    long tail() {
        return segment.getLongAcquire(ctl + TAIL);
    }

    /** Writer: makes bytes up to {@code head} visible and wakes a sleeping reader. */
    void publishHead(long head) {
        segment.setLongRelease(ctl + HEAD, head);
        // StoreLoad: our head store must be visible before we read the waiter count (see above).
        VarHandle.fullFence();
        if (segment.getIntAcquire(ctl + READERS_WAITING) != 0) {
            segment.getAndAddInt(ctl + DATA_SEQ, 1);
            segment.wake(ctl + DATA_SEQ, Integer.MAX_VALUE);
        }
    }

    /**
     * Reader: frees bytes up to {@code tail}, and wakes a sleeping writer if the free space now
     * reaches what it waits for ({@code head} is the reader's latest view: a stale, smaller head
     * only overstates the free space, which costs at most a spurious wake-up, never a lost one).
     */
    void publishTail(long tail, long head) {
        segment.setLongRelease(ctl + TAIL, tail);
        // StoreLoad: our tail store must be visible before we read the waiter count (see above).
        VarHandle.fullFence();
        if (segment.getIntAcquire(ctl + WRITERS_WAITING) != 0
                && capacity - (head - tail) >= segment.getLongAcquire(ctl + WRITER_WANTS)) {
            segment.getAndAddInt(ctl + SPACE_SEQ, 1);
            segment.wake(ctl + SPACE_SEQ, Integer.MAX_VALUE);
        }
    }

    /** Writer, before waiting for space: how many free bytes it waits for. */
    void setWriterWants(long bytes) {
        segment.setLongRelease(ctl + WRITER_WANTS, bytes);
    }

    /**
     * The free space a blocked writer waits for: what is left of its frame, but at most half the
     * ring, so that a writer facing a full ring and a reader draining it do not hand the ring back
     * and forth one message (and one FUTEX_WAKE) at a time.
     */
    long spaceWanted(long frameLeft) {
        return Math.min(frameLeft, capacity / 2);
    }

    /**
     * Registers a sleeper that sleeps outside {@link #await} (the reactive poller): the same
     * waiter count and sequence word as {@link #await}'s reader side.
     */
    SequenceWatch watchData() {
        return SequenceWatch.register(segment, ctl + READERS_WAITING, ctl + DATA_SEQ);
    }

    /**
     * Registers a writer that sleeps outside {@link #await} (the reactive poller) until
     * {@code wanted} bytes are free: the same wish and waiter count as {@link #await}'s writer side.
     */
    SequenceWatch watchSpace(long wanted) {
        setWriterWants(wanted);
        return SequenceWatch.register(segment, ctl + WRITERS_WAITING, ctl + SPACE_SEQ);
    }

    /** Wakes every sleeper on both words (a closing end uses it). */
    void wakeAll() {
        segment.getAndAddInt(ctl + DATA_SEQ, 1);
        segment.wake(ctl + DATA_SEQ, Integer.MAX_VALUE);
        segment.getAndAddInt(ctl + SPACE_SEQ, 1);
        segment.wake(ctl + SPACE_SEQ, Integer.MAX_VALUE);
    }

    /** Copies {@code n} bytes from {@code src}'s position (which advances) to stream position {@code pos}. */
    void copyIn(long pos, ByteBuffer src, int n) {
        int index = (int) (pos & mask);
        int first = Math.min(n, capacity - index);
        view.put(data + index, src, src.position(), first);
        if (n > first) {
            view.put(data, src, src.position() + first, n - first);
        }
        src.position(src.position() + n);
    }

    /** Copies {@code n} bytes at stream position {@code pos} to {@code dst}'s position (which advances). */
    void copyOut(long pos, ByteBuffer dst, int n) {
        int index = (int) (pos & mask);
        int first = Math.min(n, capacity - index);
        dst.put(dst.position(), view, data + index, first);
        if (n > first) {
            dst.put(dst.position() + first, view, data, n - first);
        }
        dst.position(dst.position() + n);
    }

    /** Reads the little-endian 64-bit frame length at stream position {@code pos}. */
    long readLength(long pos) {
        int index = (int) (pos & mask);
        int first = Math.min(8, capacity - index);
        view.get(data + index, scratch, 0, first);
        if (first < 8) {
            view.get(data, scratch, first, 8 - first);
        }
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (scratch[i] & 0xFF);
        }
        return value;
    }

    /**
     * Waits until {@code ready} holds, the peer is gone, or the deadline passes: spins first, then
     * sleeps on the data word (reader) or space word (writer) in slices. Whether the peer closed is
     * checked on every round; whether its process died (a /proc read) once per slice, so the
     * hand-off between a fast writer and a reader that goes to sleep makes no extra system call.
     *
     * @param forData  true for a reader waiting for bytes, false for a writer waiting for space
     * @param deadline a {@link System#nanoTime()} deadline, or {@link Long#MAX_VALUE} for none
     * @return how it ended; READY wins over PEER_GONE when both hold
     */
    Wait await(boolean forData, BooleanSupplier ready, PeerCheck peer, long deadline, Spinner spinner)
            throws InterruptedException {
        if (ready.getAsBoolean() || spinner.spin(ready)) {
            return Wait.READY;
        }
        int waiting = ctl + (forData ? READERS_WAITING : WRITERS_WAITING);
        int seqWord = ctl + (forData ? DATA_SEQ : SPACE_SEQ);
        long slice = spinner.policy().sliceNanos();
        long livenessAt = System.nanoTime() + slice;
        segment.getAndAddInt(waiting, 1);
        try {
            while (true) {
                // The count is up (a full fence): from here on a publisher either wakes us or we see its data.
                int seq = segment.getIntAcquire(seqWord);
                if (ready.getAsBoolean()) {
                    return Wait.READY;
                }
                boolean checkLiveness = System.nanoTime() - livenessAt >= 0;
                if (checkLiveness) {
                    livenessAt = System.nanoTime() + slice;
                }
                if (peer.isGone(checkLiveness)) {
                    return ready.getAsBoolean() ? Wait.READY : Wait.PEER_GONE;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (left <= 0) {
                    return Wait.TIMED_OUT;
                }
                segment.await(seqWord, seq, left, slice, WakeIntent.ALL);
                segment.checkOpen();
            }
        } finally {
            try {
                segment.getAndAddInt(waiting, -1);
            } catch (dev.procsync.ClosedException closed) {
                // Closed under us: the count no longer matters to this process, and a dead count only costs wake-ups.
            }
        }
    }
}
