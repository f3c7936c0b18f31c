package dev.procsync.channel;

import dev.procsync.ClosedException;
import dev.procsync.SegmentMismatchException;
import dev.procsync.futex.Spinner;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentHeader;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared ring behind {@link Queue}, {@link JoinableQueue} and {@link SimpleQueue}: the raw word
 * protocol, in bytes, apart from codecs and the friendly API. One handle per {@code Ring}; safe
 * for concurrent use by the threads of a process. This class holds the layout and the producer
 * side; {@link ClaimLock} the claim lock and {@link RingReader} the consumer side.
 *
 * <pre>
 *  offset  size  field (absolute; SegmentHeader before 128; param0 = byte bound, param1 = message bound)
 *  128     4     claimLock    futex word: 0 free, else claimer pid | SLEEPERS (bit 30); table below
 *  136     8     lockStart    claimer's start time, stored right after the acquiring CAS
 *  144     8     lastClaimer  token of the handle that published tail last (0 after a repair): that
 *                             handle may use its own copy of tail instead of reading the shared one
 *  152     8     putTotal     messages ever claimed (64-bit); written only under claimLock
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
 *              pid             held; release CAS pid -> 0
 *              pid|SLEEPERS    held, someone sleeps; release getAndSet 0 + FUTEX_WAKE 1
 *              (pid dead)      a waiter CASes it to its own pid|SLEEPERS and repairs putTotal
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
     * the bit set only until the next signal clears it.
     *
     * Closing a handle: close() sets `closing`, wakes this process's sleepers and waits until no
     * thread of the handle is inside a put (the inFlight count), so no claim lock is left held and
     * no record left IN_PROGRESS by a live process because its pages were swapped away mid-put.
     */
    static final int LOCK = SegmentHeader.LENGTH;
    static final int LOCK_START = 136;
    static final int LAST_CLAIMER = 144;
    static final int PUT_TOTAL = 152;
    static final int HEAD = 192;
    static final int NOT_EMPTY = 256;
    static final int NOT_FULL = 320;
    static final int SHUTDOWN = 384;
    static final int DONE_TOTAL = 392;
    static final int JOINED = 400;
    static final int SKIPPED = 408;
    static final int CODEC_LENGTH = 448;
    static final int CODEC_ID = 452;
    static final int CODEC_ID_MAX = 60;
    static final int TAIL = 512;
    static final int RING = 576;
    static final int RECORD_HEADER = 16;
    /** Messages up to this size are copied under the claim lock and published committed. */
    static final int SMALL = 256;

    static final int SLEEPERS = 1 << 30;
    static final int PID_MASK = (1 << 22) - 1;
    static final long IN_PROGRESS = Long.MIN_VALUE;
    static final long ABANDONED = 1L << 62;
    static final long LENGTH_MASK = ABANDONED - 1;
    static final long POS_MASK = (1L << 44) - 1;
    static final int COUNT_BITS = 24;
    static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

    private static final ProcessId ME = ProcessId.current();

    private static final long MY_OWNER = ME.pid() | ME.startTime() << 22;
    private static final AtomicInteger HANDLES = new AtomicInteger();

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
    private final ClaimLock claimLock;
    private final AtomicInteger inFlight = new AtomicInteger();
    volatile boolean closing;
    /** This handle's lastClaimer token: pid and a per-process handle number, never 0. */
    private final long token = (long) ME.pid() << 32 | (HANDLES.incrementAndGet() & 0xffff_ffffL) | 1L << 63;
    private long ownTail; // under claimLock: the tail this handle published last, valid while lastClaimer == token
    private long cachedHead; // a hint under claimLock: an old head only underestimates free space ...
    private long cachedHeadPutTotal; // ... unless its count is 2^23 puts old: then counts could alias

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
    }

    static int ringSize(long limit) {
        return (int) Long.highestOneBit(limit - 1) << 1;
    }

    static SegmentSpec spec(SegmentKind kind, QueueCapacity capacity) {
        return SegmentSpec.of(kind, RING - SegmentHeader.LENGTH + ringSize(capacity.bytes()),
                List.of("capacityBytes", "capacityMessages"), capacity.bytes(), capacity.messages());
    }

    /**
     * Opens or creates a ring segment and checks its codec.
     *
     * @param what "queue 'name'", for messages
     */
    static Ring open(dev.procsync.Namespace ns, String name, String what, SegmentKind kind, QueueCapacity capacity,
            String codecId) {
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
            if (!storedId.equals(codecId)) {
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

    // ---- producers ----

    /**
     * Puts messages {@code msgs[from..to)} (each from position to limit, not consumed) in order,
     * waiting for space until {@code deadline}. A batch that fits at once is claimed under one lock
     * hold; otherwise messages go one claim at a time.
     *
     * @param deadline {@link Deadline#NONE}, {@link Deadline#NO_WAIT} or a {@code nanoTime} deadline
     * @return how many were put (a prefix); fewer than {@code to - from} only on timeout
     */
    int put(ByteBuffer[] msgs, int from, int to, long deadline) throws InterruptedException {
        for (int i = from; i < to; i++) {
            checkSize(msgs[i].remaining());
        }
        enter();
        try {
            long lockDeadline = lockDeadline(deadline);
            int done = from;
            while (done < to) {
                int n = tryClaimAndWrite(msgs, done, to, lockDeadline);
                if (n > 0) {
                    done += n;
                    continue;
                }
                if (n < 0 || !awaitSpace(recordLength(msgs[done].remaining()), deadline)) {
                    break;
                }
            }
            return done - from;
        } finally {
            exit();
        }
    }

    /** One message; see {@link #put(ByteBuffer[], int, int, long)}. @return whether it was put */
    boolean put(ByteBuffer msg, long deadline) throws InterruptedException {
        checkSize(msg.remaining());
        enter();
        try {
            long lockDeadline = lockDeadline(deadline);
            while (true) {
                int r = tryClaimAndWrite(msg, lockDeadline);
                if (r > 0) {
                    return true;
                }
                if (r < 0 || !awaitSpace(recordLength(msg.remaining()), deadline)) {
                    return false;
                }
            }
        } finally {
            exit();
        }
    }

    /** A put that must not wait still waits up to one slice for the claim lock, as j.u.c offer() does. */
    private long lockDeadline(long deadline) {
        return deadline == Deadline.NO_WAIT ? System.nanoTime() + slice : deadline;
    }

    void checkSize(long length) {
        if (length > maxMessageSize()) {
            throw new IllegalArgumentException("message of " + length + " bytes is larger than the largest "
                    + what + " carries (" + maxMessageSize() + " bytes: its capacity of " + limit
                    + " bytes, rounded down to a multiple of 16, minus the 16-byte record header)");
        }
    }

    private void enter() {
        inFlight.getAndIncrement();
        if (closing) {
            inFlight.getAndDecrement();
            throw segment.closedException();
        }
    }

    private void exit() {
        inFlight.getAndDecrement();
    }

    /** @return 1 if put, 0 if it does not fit now, -1 if the claim lock was not had by the deadline */
    private int tryClaimAndWrite(ByteBuffer msg, long lockDeadline) throws InterruptedException {
        int len = msg.remaining();
        long rec = recordLength(len);
        if (!claimLock.lock(lockDeadline)) {
            return -1;
        }
        long tail;
        try {
            checkNotShutdown();
            tail = currentTail();
            if (!fits(tail, rec, 1)) {
                return 0;
            }
            if (len <= SMALL) {
                // Small: copy under the lock and publish the record already committed (one store-buffer
                // drain per put instead of two). A failed copy publishes nothing.
                long p = pos(tail);
                segment.setLong(RING + index(p) + 8, MY_OWNER);
                copyIn(p, msg);
                segment.setLong(RING + index(p), len);
                publish(tail, rec, 1);
            } else {
                writeHeader(pos(tail), len);
                publish(tail, rec, 1);
            }
        } finally {
            claimLock.unlock();
        }
        if (len <= SMALL) {
            signal(NOT_EMPTY); // its fence is cheap here: the unlock CAS already drained our stores
            return 1;
        }
        long p = pos(tail);
        try {
            copyIn(p, msg);
        } catch (RuntimeException | Error e) {
            abandon(p, len);
            throw e;
        }
        commit(p, len);
        signal(NOT_EMPTY);
        return 1;
    }

    /** @return how many were put (0: the first does not fit now), or -1 if the lock was not had in time */
    private int tryClaimAndWrite(ByteBuffer[] msgs, int from, int to, long lockDeadline)
            throws InterruptedException {
        if (!claimLock.lock(lockDeadline)) {
            return -1;
        }
        long tail;
        int n = 0;
        long total = 0;
        try {
            checkNotShutdown();
            tail = currentTail();
            while (from + n < to) {
                int len = msgs[from + n].remaining();
                long rec = recordLength(len);
                if (!fits(tail, total + rec, n + 1)) {
                    break;
                }
                long p = pos(tail) + total;
                if (len <= SMALL) {
                    // As for one small message: copied and committed before tail is published.
                    segment.setLong(RING + index(p) + 8, MY_OWNER);
                    copyIn(p, msgs[from + n]);
                    segment.setLong(RING + index(p), len);
                } else {
                    writeHeader(p, len);
                }
                total += rec;
                n++;
            }
            if (n > 0) {
                publish(tail, total, n);
            }
        } finally {
            claimLock.unlock();
        }
        long p = pos(tail);
        for (int i = from; i < from + n; i++) {
            int len = msgs[i].remaining();
            if (len > SMALL) {
                try {
                    copyIn(p, msgs[i]);
                } catch (RuntimeException | Error e) {
                    for (int j = i; j < from + n; j++) {
                        if (msgs[j].remaining() > SMALL) {
                            abandon(p, msgs[j].remaining());
                        }
                        p += recordLength(msgs[j].remaining());
                    }
                    throw e;
                }
                commit(p, len);
            }
            p += recordLength(len);
        }
        if (n > 0) {
            signal(NOT_EMPTY);
        }
        return n;
    }

    /** Whether {@code rec} more bytes in {@code n} more records fit after {@code tail}; holds the lock. */
    private boolean fits(long tail, long rec, int n) {
        long head = cachedHead;
        long total = segment.getLong(PUT_TOTAL);
        if (total - cachedHeadPutTotal >= 1L << (COUNT_BITS - 1) || !fits(tail, head, rec, n)) {
            head = segment.getLongAcquire(HEAD);
            cachedHead = head;
            cachedHeadPutTotal = total;
            return fits(tail, head, rec, n);
        }
        return true;
    }

    private boolean fits(long tail, long head, long rec, int n) {
        long used = (pos(tail) - pos(head)) & POS_MASK;
        long count = (count(tail) - count(head)) & COUNT_MASK;
        // An old cached head from before a wrap of the counters shows as "more than full": re-read.
        return used + rec <= limit && count + n <= maxMessages;
    }

    private void checkNotShutdown() {
        if (segment.getIntAcquire(SHUTDOWN) != 0) {
            throw new QueueShutdownException(what + " is shut down: no more puts");
        }
    }

    private void writeHeader(long pos, long length) {
        int at = RING + index(pos);
        segment.setLong(at + 8, MY_OWNER);
        segment.setLong(at, IN_PROGRESS | length);
    }

    /** Tail, under claimLock: this handle's own copy if it published last, else the shared word. */
    private long currentTail() {
        return segment.getLong(LAST_CLAIMER) == token ? ownTail : segment.getLongAcquire(TAIL);
    }

    private void publish(long tail, long rec, int n) {
        long total = segment.getLong(PUT_TOTAL);
        segment.setLongRelease(PUT_TOTAL, total + n);
        long next = word(pos(tail) + rec, count(tail) + n);
        ownTail = next;
        segment.setLong(LAST_CLAIMER, token);
        // Release: the headers above are visible to any consumer that reads this tail with acquire.
        segment.setLongRelease(TAIL, next);
    }

    private void copyIn(long pos, ByteBuffer msg) {
        int len = msg.remaining();
        int at = index(pos + RECORD_HEADER);
        int first = Math.min(len, ringSize - at);
        buf.put(RING + at, msg, msg.position(), first);
        if (first < len) {
            buf.put(RING, msg, msg.position() + first, len - first);
        }
    }

    /**
     * Gives up a claimed record whose copy failed (a buffer changed under us, or worse): consumers
     * skip it at once instead of waiting for an owner that is alive and will never commit.
     */
    private void abandon(long pos, long length) {
        segment.setLongRelease(RING + index(pos), ABANDONED | length);
        signal(NOT_EMPTY);
    }

    private void commit(long pos, long length) {
        // Release: the data copied above is visible to a consumer that reads the length with acquire.
        segment.setLongRelease(RING + index(pos), length);
    }

    // ---- waiting ----


    /** Whether {@code rec} bytes and one record fit now (for spinning). */
    private boolean hasSpace(long rec) {
        long tail = segment.getLongAcquire(TAIL);
        long head = segment.getLongAcquire(HEAD);
        return fits(tail, head, rec, 1);
    }

    /**
     * Waits until {@code rec} bytes may fit, the deadline passes, or the queue is shut down.
     *
     * @return false on timeout
     */
    private boolean awaitSpace(long rec, long deadline) throws InterruptedException {
        checkNotShutdown();
        if (deadline == Deadline.NO_WAIT) {
            return false;
        }
        if (spinner.spin(() -> hasSpace(rec) || segment.getIntOpaque(SHUTDOWN) != 0)) {
            return true;
        }
        while (true) {
            int s = prepareWait(NOT_FULL);
            if (hasSpace(rec) || segment.getIntAcquire(SHUTDOWN) != 0) {
                return true;
            }
            if (closing) {
                throw segment.closedException();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted waiting for space in " + what);
            }
            long left = Deadline.remaining(deadline);
            if (left <= 0) {
                return false;
            }
            segment.await(NOT_FULL, s, Math.min(left, slice));
            segment.checkOpen();
        }
    }


    /** Sets WAITERS on an event count (a full fence) and returns the value to sleep on. */
    int prepareWait(int offset) {
        while (true) {
            int s = segment.getIntAcquire(offset);
            if ((s & 1) != 0 || segment.compareAndSetInt(offset, s, s | 1)) {
                // Full fence: the bit (or our view of it) is ordered before the caller's re-check, the
                // mirror of the signaller's fence between its release store and its read of the word.
                VarHandle.fullFence();
                return s | 1;
            }
        }
    }

    /** After a release store: wakes the sleepers of an event count, if it says there are any. */
    void signal(int offset) {
        // Full fence: our release store must be ordered before the read of WAITERS (store-load), the
        // mirror of the waiter's CAS before its re-check.
        VarHandle.fullFence();
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
        return !fits(tail, head, RECORD_HEADER, 1);
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
        // Our own sleepers re-check `closing` when woken; other processes just see a spurious wake-up.
        segment.wake(LOCK, Integer.MAX_VALUE);
        segment.wake(NOT_FULL, Integer.MAX_VALUE);
        for (int spins = 0; inFlight.get() != 0; spins++) {
            if (spins < 1000) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        segment.close();
    }

    ClosedException closedException() {
        return segment.closedException();
    }
}
