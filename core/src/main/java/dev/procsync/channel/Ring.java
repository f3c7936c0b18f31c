package dev.procsync.channel;

import static dev.procsync.layout.QueueLayout.BIAS;
import static dev.procsync.layout.QueueLayout.CODEC_ID;
import static dev.procsync.layout.QueueLayout.CODEC_ID_MAX;
import static dev.procsync.layout.QueueLayout.CODEC_LENGTH;
import static dev.procsync.layout.QueueLayout.COUNT_BITS;
import static dev.procsync.layout.QueueLayout.COUNT_MASK;
import static dev.procsync.layout.QueueLayout.HEAD;
import static dev.procsync.layout.QueueLayout.JOINED;
import static dev.procsync.layout.QueueLayout.LOCK;
import static dev.procsync.layout.QueueLayout.NOT_EMPTY;
import static dev.procsync.layout.QueueLayout.NOT_FULL;
import static dev.procsync.layout.QueueLayout.POS_MASK;
import static dev.procsync.layout.QueueLayout.PUT_TOTAL;
import static dev.procsync.layout.QueueLayout.RECORD_HEADER;
import static dev.procsync.layout.QueueLayout.RING;
import static dev.procsync.layout.QueueLayout.SHUTDOWN;
import static dev.procsync.layout.QueueLayout.SKIPPED;
import static dev.procsync.layout.QueueLayout.TAIL;

import dev.procsync.layout.HeaderLayout;
import dev.procsync.ClosedException;
import dev.procsync.SegmentMismatchException;
import dev.procsync.codec.Codec;
import dev.procsync.futex.Membarrier;
import dev.procsync.futex.Spinner;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The shared ring behind {@link Queue}, {@link JoinableQueue} and {@link SimpleQueue}: the raw word
 * protocol, in bytes, apart from codecs and the friendly API. One handle per {@code Ring}; safe
 * for concurrent use by the threads of a process. This class holds the layout, the event counts
 * and the snapshots; {@link RingWriter} the producer side, {@link ClaimLock} the producers' claim
 * lock and {@link RingReader} the consumer side.
 *
 * <pre>
 *  offset  size  field (absolute; SegmentHeader before 128; param0 = byte bound, param1 = message bound)
 *  128     4     claimLock    futex word: 0 free, else claimer pid | BIASED (bit 29) | SLEEPERS (bit 30)
 *  136     8     lockStart    claimer's start time, stored right after the acquiring CAS
 *  144     8     lastClaimer  token of the handle that published tail last (0 after a repair): that
 *                             handle may use its own copy of tail instead of reading the shared one
 *  152     8     putTotal     messages ever claimed (64-bit); written only under claimLock
 *  160     8     bias         0, or the bias word of the handle the claim lock is biased to:
 *                             bit 63 | pid &lt;&lt; 32 | a per-process bias number
 *  168     4     inside       1 while the biased handle is inside a claim (written only by it)
 *  172     4     producers    handles that have put and not closed (a dead process's stay counted);
 *                             the claim lock is biased only while this is 1
 *  192     8     head         same format as tail; consumers advance it with compareAndSet
 *  256     4     notEmpty     event count: bits 1-31 a sequence, bit 0 WAITERS; consumers sleep here
 *  320     4     notFull      event count; producers sleep here
 *  384     4     shutdown     0 open, 1 shut down for every process (set under claimLock)
 *  392     8     doneTotal    JoinableQueue: taskDone() calls ever (64-bit)
 *  400     4     joined       JoinableQueue: event count; join() sleeps here
 *  408     8     skipped      records skipped: claimer died or abandoned them (statistics)
 *  448     4     codecLength  bytes of the codec id that follows
 *  452     60    codecId      ASCII, zero padded
 *  512     8     tail         [pos/16: 40 bits][put count mod 2^24: 24 bits]; written only under claimLock
 *  576     R     ring         R = byte bound rounded up to a power of two; records below
 * </pre>
 * Positions are byte offsets into an endless stream, kept modulo 2<sup>44</sup> (16 TiB); a
 * record at position {@code p} lives at ring offset {@code p & (R - 1)}. Hot words for producers
 * (128-159), consumers (192), tail (512), which consumers poll, and each event count sit on their
 * own 64-byte line: a consumer polling tail does not take the claim lock's line from the producer.
 *
 * <pre>
 *  record (16-aligned; the header never wraps, the data may wrap to ring offset 0)
 *  +0   8   state   bit 63 IN_PROGRESS, bit 62 ABANDONED, bits 0-61 data length
 *  +8   8   owner   claimer pid (bits 0-21) | start time &lt;&lt; 22
 *  +16  len data;   the record takes align16(16 + len) bytes
 * </pre>
 *
 * <pre>
 *  claimLock   value           meaning / transitions
 *              0               free; producer: CAS 0 -> pid (no syscall)
 *              pid             held; release CAS pid -> 0; or bias it: bias = word, CAS pid -> pid|BIASED
 *              pid|SLEEPERS    held, someone sleeps; release getAndSet 0 + FUTEX_WAKE 1
 *              pid|BIASED      kept by the handle in bias between its puts, which claim without
 *                              touching this word; another producer revokes: CAS -> own pid,
 *                              bias = 0, membarrier, wait for inside == 0 (see ClaimLock); a
 *                              revoker that times out first CASes it back (bias stays 0)
 *              (pid dead)      a waiter CASes it to its own pid|SLEEPERS (or, if BIASED, to its
 *                              pid) and repairs putTotal
 *
 *  inside      0               the biased handle is between claims (or there is none)
 *              1               it is claiming: it stored 1, then read bias == its word; a revoker
 *                              waits for 0, or takes over if the pid is dead
 *
 *  notEmpty / notFull / joined (event counts)
 *              even            nobody sleeps; signaller does nothing (no syscall)
 *              odd             a waiter set bit 0 (CAS s -> s|1) and sleeps on s|1;
 *                              signaller CAS s -> s+1 (next even) and FUTEX_WAKE all
 *
 *  record state                written by            meaning
 *              IN_PROGRESS|len claimer, under lock   claimed, data being copied
 *              len             claimer, release      committed: readable
 *              ABANDONED|len   claimer, release      its copy failed: consumers skip it
 * </pre>
 */
final class Ring {
    /*
     * Algorithm.
     *
     * Producers serialise only the claim: under claimLock they check space against head, write the
     * record header (state IN_PROGRESS, owner) and publish the new tail with one release store that
     * carries both position and count. They copy the data after releasing the lock (producers copy
     * in parallel) and commit with a release store of the plain length. Messages of at most SMALL
     * bytes are copied and committed under the lock instead, before tail is published: one store-
     * buffer drain per put instead of two, and never a pending record. A producer killed inside
     * the lock leaves tail unpublished (nothing to repair but putTotal, reconciled with the tail
     * count by the process that takes the lock over); killed while copying, it leaves an
     * IN_PROGRESS record whose owner consumers find dead after waiting one slice: they skip it.
     *
     * Consumers are optimistic: read head, copy a committed record out, then compareAndSet head
     * past it. The CAS is the only point where a message leaves the queue, so a consumer killed
     * anywhere before it takes nothing and wedges nobody. A copy raced by another consumer's CAS
     * may read bytes a producer is already overwriting; its own CAS then fails (positions never
     * repeat within 16 TiB) and the copy is dropped, so every length is bounds-checked before use.
     *
     * Sleeping uses event counts: a waiter sets bit 0 with a CAS (a full fence), re-checks its
     * condition and sleeps on the odd value; a signaller does its release store, a full fence and
     * reads the word: only when it is odd does it bump it and FUTEX_WAKE. A waiter that dies leaves
     * the bit set only until the next signal clears it. The one signaller without a fence is a
     * biased claim (below), which publishes tail and reads notEmpty in program order: a consumer
     * that finds bias set after its CAS calls membarrier before its re-check, which puts the
     * missing fence in the producer's instruction stream. One that finds bias 0 needs none: the
     * biasing producer stored bias and then CASed the claim lock before its first fenceless claim.
     *
     * Biased claims. A producer handle whose owner thread keeps getting the claim lock at the first
     * CAS (RingWriter counts) keeps it, biased: its claims then store inside = 1, check that bias
     * still holds its word, claim as under the lock, and store inside = 0, with no atomic
     * instruction. On this kind of 2-vCPU VM the atomic made each put wait for the cache lines the
     * consumer had just read (the lock's release CAS drains the store buffer): 5-6 M against 11-13 M
     * messages/s. Revocation, when anyone else wants the lock, is in ClaimLock.
     *
     * Only one handle is ever biased while several could put: a handle counts itself in producers
     * before its first claim, and the lock is biased only while that count is 1 (read under the
     * lock; a producer that counts itself just after finds the lock biased and revokes). This is
     * what keeps inside honest: a handle whose bias was revoked still stores inside = 1 and 0 once
     * in its next claim before it sees bias changed, and no other handle may be biased then, or
     * that store could hide its claim from a revoker. A handle's own threads cannot race it: only
     * its owner thread claims under the bias or biases it.
     *
     * Closing a handle: close() sets `closing`, wakes this process's sleepers and waits until no
     * thread of the handle is inside a put (the inFlight count), so no claim lock is left held and
     * no record left IN_PROGRESS by a live process because its pages were swapped away mid-put.
     */
    /** Messages up to this size are copied under the claim lock and published committed. */
    static final int SMALL = 256;


    final String what;
    final Segment segment;
    final ByteBuffer buf;
    final long limit;
    final long maxMessages;
    final int ringSize;
    private final int mask;
    final Spinner spinner;
    final long slice;
    /** The consumer side of this handle. */
    final RingReader reader;
    /** The producer side of this handle. */
    final RingWriter writer;
    final ClaimLock claimLock;
    volatile boolean closing;

    private Ring(String what, Segment segment, long limit, long maxMessages, Spinner spinner) {
        this.what = what;
        this.segment = segment;
        this.buf = segment.buffer();
        this.limit = limit;
        this.maxMessages = maxMessages;
        this.ringSize = ringSize(limit);
        this.mask = ringSize - 1;
        this.spinner = spinner;
        this.slice = spinner.policy().sliceNanos();
        this.reader = new RingReader(this);
        this.claimLock = new ClaimLock(this);
        this.writer = new RingWriter(this);
    }

    static int ringSize(long limit) {
        return (int) Long.highestOneBit(limit - 1) << 1;
    }

    static SegmentSpec spec(SegmentKind kind, QueueCapacity capacity) {
        return SegmentSpec.of(kind, RING - HeaderLayout.LENGTH + ringSize(capacity.bytes()),
                List.of("capacityBytes", "capacityMessages"), capacity.bytes(), capacity.messages());
    }

    /**
     * Opens or creates a ring segment and checks its codec.
     *
     * @param what "queue 'name'", for messages
     */
    static Ring open(SegmentDirectory ns, String name, String what, SegmentKind kind, QueueCapacity capacity,
            Codec<?> codec) {
        String codecId = codec.id();
        byte[] id = codecId.getBytes(StandardCharsets.US_ASCII);
        if (id.length == 0 || id.length > CODEC_ID_MAX) {
            throw new IllegalArgumentException("codec id must be 1.." + CODEC_ID_MAX + " ASCII characters: '"
                    + codecId + "'");
        }
        Segment segment = ns.createOrOpen(name, spec(kind, capacity), s -> {
            s.setInt(CODEC_LENGTH, id.length);
            ByteBuffer b = s.buffer();
            b.put(CODEC_ID, id);
        });
        try {
            int length = segment.getIntAcquire(CODEC_LENGTH);
            byte[] stored = new byte[Math.max(0, Math.min(length, CODEC_ID_MAX))];
            segment.buffer().get(CODEC_ID, stored);
            String storedId = new String(stored, StandardCharsets.US_ASCII);
            if (!codec.accepts(storedId)) {
                throw new SegmentMismatchException(what + " in " + ns.directory() + " was created with codec '"
                        + storedId + "', not '" + codecId + "'");
            }
            return new Ring(what, segment, capacity.bytes(), capacity.messages(),
                    ns.options().spinPolicy().newSpinner());
        } catch (RuntimeException e) {
            segment.close();
            throw e;
        }
    }

    // ---- word helpers ----

    static long pos(long word) {
        return (word >>> COUNT_BITS) << 4;
    }

    static long count(long word) {
        return word & COUNT_MASK;
    }

    static long word(long pos, long count) {
        return ((pos & POS_MASK) >>> 4) << COUNT_BITS | (count & COUNT_MASK);
    }

    static long recordLength(long length) {
        return (RECORD_HEADER + length + 15) & ~15L;
    }

    int index(long pos) {
        return (int) (pos & mask);
    }

    long maxMessageSize() {
        return (limit & ~15L) - RECORD_HEADER; // its record, rounded up to 16, must fit in the limit
    }

    // ---- sizes (the producer side is RingWriter) ----

    void checkSize(long length) {
        if (length > maxMessageSize()) {
            throw new IllegalArgumentException("message of " + length + " bytes is larger than the largest "
                    + what + " carries (" + maxMessageSize() + " bytes: its capacity of " + limit
                    + " bytes, rounded down to a multiple of 16, minus the 16-byte record header)");
        }
    }

    static boolean fits(long tail, long head, long rec, int n, long limit, long maxMessages) {
        long used = (pos(tail) - pos(head)) & POS_MASK;
        long count = (count(tail) - count(head)) & COUNT_MASK;
        // An old cached head from before a wrap of the counters shows as "more than full": re-read.
        return used + rec <= limit && count + n <= maxMessages;
    }

    /** Sets WAITERS on an event count (a full fence) and returns the value to sleep on. */
    int prepareWait(int offset) {
        while (true) {
            int s = segment.getIntAcquire(offset);
            if ((s & 1) != 0 || segment.compareAndSetInt(offset, s, s | 1)) {
                // Full fence: the bit (or our view of it) is ordered before the caller's re-check, the
                // mirror of the signaller's fence between its release store and its read of the word.
                VarHandle.fullFence();
                if (offset == NOT_EMPTY && segment.getLongAcquire(BIAS) != 0) {
                    // A biased producer signals without a fence. Refused (seccomp), a missed wake-up
                    // costs this waiter one sleep slice, never more: sleeps are sliced.
                    Membarrier.tryFenceEveryone();
                }
                return s | 1;
            }
        }
    }

    /** After a release store: wakes the sleepers of an event count, if it says there are any. */
    void signal(int offset) {
        // Full fence: our release store must be ordered before the read of WAITERS (store-load), the
        // mirror of the waiter's CAS before its re-check.
        VarHandle.fullFence();
        signalAfterFence(offset);
    }

    /**
     * {@link #signal(int)} for a caller whose last shared access was a compareAndSet or getAndSet:
     * that atomic is already the full fence between its stores and the read of WAITERS.
     */
    void signalAfterFence(int offset) {
        int s = segment.getIntAcquire(offset);
        while ((s & 1) != 0) {
            if (segment.compareAndSetInt(offset, s, s + 1)) {
                segment.wake(offset, Integer.MAX_VALUE);
                return;
            }
            s = segment.getIntAcquire(offset);
        }
    }

    /** Bumps an event count unconditionally and wakes every sleeper (shutdown). */
    void broadcast(int offset) {
        segment.getAndAddInt(offset, 2);
        segment.wake(offset, Integer.MAX_VALUE);
    }

    // ---- state ----

    void shutdown() {
        claimLock.lock();
        try {
            segment.setIntRelease(SHUTDOWN, 1);
        } finally {
            claimLock.unlock();
        }
        broadcast(NOT_EMPTY);
        broadcast(NOT_FULL);
        broadcast(JOINED);
    }

    boolean isShutdown() {
        return segment.getIntAcquire(SHUTDOWN) != 0;
    }

    /** Messages in the queue (committed or being written); read head first so it is never negative. */
    long size() {
        long head = segment.getLongAcquire(HEAD);
        long tail = segment.getLongAcquire(TAIL);
        return (count(tail) - count(head)) & COUNT_MASK;
    }

    long usedBytes() {
        long head = segment.getLongAcquire(HEAD);
        long tail = segment.getLongAcquire(TAIL);
        return (pos(tail) - pos(head)) & POS_MASK;
    }

    boolean isFull() {
        long head = segment.getLongAcquire(HEAD);
        long tail = segment.getLongAcquire(TAIL);
        return !fits(tail, head, RECORD_HEADER, 1, limit, maxMessages);
    }

    long skippedTotal() {
        return segment.getLongAcquire(SKIPPED);
    }

    long putTotal() {
        return segment.getLongAcquire(PUT_TOTAL);
    }

    boolean isClosed() {
        return segment.isClosed();
    }

    /** Closes this handle once no thread of it is between claim and commit. */
    void close() {
        if (segment.isClosed()) {
            return;
        }
        closing = true;
        if (Membarrier.isRegistered()) {
            Membarrier.fenceEveryone(); // a biased owner thread reads `closing` without a fence (RingWriter)
        }
        // Our own sleepers re-check `closing` when woken; other processes just see a spurious wake-up.
        segment.wake(LOCK, Integer.MAX_VALUE);
        segment.wake(NOT_FULL, Integer.MAX_VALUE);
        writer.awaitNoPut();
        writer.retire();
        segment.close();
    }

    ClosedException closedException() {
        return segment.closedException();
    }
}
