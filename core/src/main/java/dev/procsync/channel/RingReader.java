package dev.procsync.channel;

import static dev.procsync.layout.QueueLayout.ABANDONED;
import static dev.procsync.layout.QueueLayout.DONE_TOTAL;
import static dev.procsync.layout.QueueLayout.HEAD;
import static dev.procsync.layout.QueueLayout.JOINED;
import static dev.procsync.layout.QueueLayout.LENGTH_MASK;
import static dev.procsync.layout.QueueLayout.NOT_EMPTY;
import static dev.procsync.layout.QueueLayout.NOT_FULL;
import static dev.procsync.layout.QueueLayout.PID_MASK;
import static dev.procsync.layout.QueueLayout.POS_MASK;
import static dev.procsync.layout.QueueLayout.RECORD_HEADER;
import static dev.procsync.layout.QueueLayout.RING;
import static dev.procsync.layout.QueueLayout.SHUTDOWN;
import static dev.procsync.layout.QueueLayout.SKIPPED;
import static dev.procsync.layout.QueueLayout.TAIL;
import static dev.procsync.channel.Ring.count;
import static dev.procsync.channel.Ring.pos;
import static dev.procsync.channel.Ring.recordLength;
import static dev.procsync.channel.Ring.word;

import dev.procsync.futex.WakeIntent;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.Segment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The consumer side of a {@link Ring} handle: optimistic takes (copy out, then compareAndSet the
 * head), batch drains, skipping records whose claimer died, and the wait for a message. The
 * layout and the protocol are described in {@link Ring}.
 */
final class RingReader {
    private static final ProcessId ME = ProcessId.current();
    private static final byte[][] NONE = new byte[0][];
    private static final VarHandle CACHED_TAIL;

    static {
        try {
            CACHED_TAIL = MethodHandles.lookup().findVarHandle(RingReader.class, "cachedTail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Ring ring;
    private final Segment segment;
    @SuppressWarnings("unused") // accessed through CACHED_TAIL
    private long cachedTail; // a hint: re-read whenever it says "empty"; release/acquire keeps it a published value

    RingReader(Ring ring) {
        this.ring = ring;
        this.segment = ring.segment;
    }

    /** Sentinel results of the try* methods. */
    static final Object EMPTY = new Object();
    static final Object PENDING = new Object();

    /** Head word seen with a pending record by the last try* call of this thread. */
    private static final ThreadLocal<long[]> PENDING_HEAD = ThreadLocal.withInitial(() -> new long[1]);

    /**
     * Takes the message at head into a new array.
     *
     * @return the bytes, {@link #EMPTY} or {@link #PENDING} (head claimed but not committed)
     */
    Object tryTake() {
        while (true) {
            long head = segment.getLongAcquire(HEAD);
            long p = pos(head);
            if (!readableBefore(p)) {
                return EMPTY;
            }
            int at = RING + ring.index(p);
            long state = segment.getLongAcquire(at);
            if (state < 0) {
                if (segment.getLongAcquire(HEAD) != head) {
                    continue;
                }
                PENDING_HEAD.get()[0] = head;
                return PENDING;
            }
            long len = state & LENGTH_MASK;
            if (len > ring.maxMessageSize()) {
                checkCorrupt(head, state);
                continue;
            }
            long next = word(p + recordLength(len), count(head) + 1);
            if ((state & ABANDONED) != 0) {
                if (segment.compareAndSetLong(HEAD, head, next)) {
                    skipped();
                }
                continue;
            }
            byte[] out = new byte[(int) len];
            copyOut(p, out, 0, (int) len);
            if (segment.compareAndSetLong(HEAD, head, next)) {
                taken();
                return out;
            }
        }
    }

    /**
     * Takes the message at head into {@code dst} at its position, advancing it.
     *
     * @return the length (boxed), {@link #EMPTY} or {@link #PENDING}
     * @throws IllegalArgumentException if the message does not fit in {@code dst}; it stays queued
     */
    Object tryTakeInto(ByteBuffer dst) {
        while (true) {
            long head = segment.getLongAcquire(HEAD);
            long p = pos(head);
            if (!readableBefore(p)) {
                return EMPTY;
            }
            int at = RING + ring.index(p);
            long state = segment.getLongAcquire(at);
            if (state < 0) {
                if (segment.getLongAcquire(HEAD) != head) {
                    continue;
                }
                PENDING_HEAD.get()[0] = head;
                return PENDING;
            }
            long len = state & LENGTH_MASK;
            if (len > ring.maxMessageSize()) {
                checkCorrupt(head, state);
                continue;
            }
            long next = word(p + recordLength(len), count(head) + 1);
            if ((state & ABANDONED) != 0) {
                if (segment.compareAndSetLong(HEAD, head, next)) {
                    skipped();
                }
                continue;
            }
            if (len > dst.remaining()) {
                if (segment.getLongAcquire(HEAD) != head) {
                    continue;
                }
                throw new IllegalArgumentException("the next message of " + ring.what + " has " + len
                        + " bytes but the buffer has " + dst.remaining() + " remaining; it stays in the queue");
            }
            copyOut(p, dst, (int) len);
            if (segment.compareAndSetLong(HEAD, head, next)) {
                taken();
                dst.position(dst.position() + (int) len);
                return (int) len;
            }
        }
    }

    /**
     * Takes up to {@code max} committed messages from head with one CAS.
     *
     * @return the messages, empty if none is ready now
     */
    byte[][] tryDrain(int max) {
        byte[][] out = new byte[Math.min(max, 1024)][];
        while (true) {
            long head = segment.getLongAcquire(HEAD);
            long p = pos(head);
            long c = count(head);
            int n = 0;
            int abandoned = 0;
            while (c - count(head) < max && n < out.length && readableBefore(p)) {
                long state = segment.getLongAcquire(RING + ring.index(p));
                long len = state & LENGTH_MASK;
                if (state < 0 || len > ring.maxMessageSize()) {
                    break;
                }
                if ((state & ABANDONED) == 0) {
                    byte[] m = new byte[(int) len];
                    copyOut(p, m, 0, (int) len);
                    out[n++] = m;
                } else {
                    abandoned++;
                }
                p += recordLength(len);
                c++;
            }
            if (c == count(head)) {
                return NONE;
            }
            if (segment.compareAndSetLong(HEAD, head, word(p, c))) {
                if (abandoned > 0) {
                    segment.getAndAddLong(SKIPPED, abandoned);
                    segment.getAndAddLong(DONE_TOTAL, abandoned);
                    ring.signal(JOINED);
                }
                taken();
                return n == out.length ? out : java.util.Arrays.copyOf(out, n);
            }
        }
    }

    /** A record skipped without delivery counts as a finished task, so join() cannot hang on it. */
    private void skipped() {
        segment.getAndAddLong(SKIPPED, 1);
        segment.getAndAddLong(DONE_TOTAL, 1);
        ring.signal(JOINED);
        ring.signal(NOT_FULL);
    }

    /** Right after the head CAS that took a message: that CAS is the fence signalAfterFence needs. */
    private void taken() {
        // A close() racing the CAS may have let it land on the placeholder page.
        segment.checkOpen();
        ring.signalAfterFence(NOT_FULL);
    }

    /** Whether a published record starts at {@code p}; refreshes the cached tail if needed. */
    private boolean readableBefore(long p) {
        // Acquire/release on the cache: a tail seen through it was published (acquire) by whoever
        // stored it, so the records before it are visible here too (happens-before is transitive).
        long dist = (pos((long) CACHED_TAIL.getAcquire(this)) - p) & POS_MASK;
        if (dist == 0 || dist > ring.ringSize) {
            long tail = segment.getLongAcquire(TAIL);
            CACHED_TAIL.setRelease(this, tail);
            dist = (pos(tail) - p) & POS_MASK;
            return dist != 0 && dist <= ring.ringSize;
        }
        return true;
    }

    private void checkCorrupt(long head, long state) {
        if (segment.getLongAcquire(HEAD) == head && segment.getLongAcquire(RING + ring.index(pos(head))) == state) {
            throw new IllegalStateException(ring.what + " is corrupt: record at position " + pos(head)
                    + " has state 0x" + Long.toHexString(state));
        }
    }

    private void copyOut(long pos, byte[] dst, int off, int len) {
        int at = ring.index(pos + RECORD_HEADER);
        int first = Math.min(len, ring.ringSize - at);
        ring.buf.get(RING + at, dst, off, first);
        if (first < len) {
            ring.buf.get(RING, dst, off + first, len - first);
        }
    }

    private void copyOut(long pos, ByteBuffer dst, int len) {
        int at = ring.index(pos + RECORD_HEADER);
        int first = Math.min(len, ring.ringSize - at);
        dst.put(dst.position(), ring.buf, RING + at, first);
        if (first < len) {
            dst.put(dst.position() + first, ring.buf, RING, len - first);
        }
    }

    /**
     * Skips the pending record at {@code head} if its claimer is dead.
     *
     * @return whether head moved (skipped here or by someone else)
     */
    boolean skipIfClaimerDead(long head) {
        int at = RING + ring.index(pos(head));
        long owner = segment.getLongAcquire(at + 8);
        long state = segment.getLongAcquire(at);
        if (segment.getLongAcquire(HEAD) != head) {
            return true;
        }
        if (state >= 0) {
            return false;
        }
        int pid = (int) (owner & PID_MASK);
        if (pid == ME.pid() || ProcessId.startTimeOf(pid) == owner >>> 22) {
            return false;
        }
        // Dead claimers never commit: re-read so a commit just before death is delivered, not skipped.
        state = segment.getLongAcquire(at);
        if (state >= 0) {
            return false;
        }
        long len = state & LENGTH_MASK;
        if (len > ring.maxMessageSize()) {
            return false;
        }
        if (segment.compareAndSetLong(HEAD, head, word(pos(head) + recordLength(len), count(head) + 1))) {
            skipped();
        }
        return true;
    }

    static long pendingHead() {
        return PENDING_HEAD.get()[0];
    }

    /** Whether the record at head is committed now (for spinning). */
    boolean headCommitted() {
        long head = segment.getLongAcquire(HEAD);
        long p = pos(head);
        return readableBefore(p) && segment.getLongAcquire(RING + ring.index(p)) >= 0;
    }

    /**
     * Repeats a consumer attempt until it yields a message, waiting in between: spins, then sleeps
     * on notEmpty in slices; a record left pending for a whole ring.slice has its claimer's liveness
     * checked and is skipped if the claimer is dead.
     *
     * @param attempt  {@link #tryTake()} or a variant: a result, {@link #EMPTY} or {@link #PENDING}
     * @param deadline as for {@link Ring#put(ByteBuffer, long)}
     * @return the result, or {@code null} on timeout
     * @throws QueueShutdownException once the queue is shut down and holds nothing
     */
    @Nullable Object take(Supplier<Object> attempt, long deadline)
            throws InterruptedException {
        long pendingPos = -1;
        long pendingSince = 0;
        while (true) {
            Object r = attempt.get();
            if (r != EMPTY && r != PENDING) {
                return r;
            }
            long sleep = ring.slice;
            if (r == PENDING) {
                long head = pendingHead();
                long now = System.nanoTime();
                if (pos(head) != pendingPos) {
                    pendingPos = pos(head);
                    pendingSince = now;
                } else if (now - pendingSince >= ring.slice) {
                    if (skipIfClaimerDead(head)) {
                        continue;
                    }
                    pendingSince = now;
                }
                sleep = Math.max(1_000_000L, ring.slice - (now - pendingSince));
            } else if (segment.getIntAcquire(SHUTDOWN) != 0) {
                throw new QueueShutdownException(ring.what + " is shut down and empty");
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted waiting for a message from " + ring.what);
            }
            long left = Deadline.remaining(deadline);
            if (left <= 0) {
                return null;
            }
            boolean empty = r == EMPTY; // a pending record is waited for even after shutdown
            if (ring.spinner.spin(() -> headCommitted() || empty && segment.getIntOpaque(SHUTDOWN) != 0)) {
                continue;
            }
            int s = ring.prepareWait(NOT_EMPTY);
            if (headCommitted() || empty && segment.getIntAcquire(SHUTDOWN) != 0) {
                continue;
            }
            segment.await(NOT_EMPTY, s, left, sleep, WakeIntent.ALL);
            segment.checkOpen();
        }
    }
}
