package dev.procsync.channel;

import static dev.procsync.layout.QueueLayout.ABANDONED;
import static dev.procsync.layout.QueueLayout.BIAS;
import static dev.procsync.layout.QueueLayout.COUNT_BITS;
import static dev.procsync.layout.QueueLayout.HEAD;
import static dev.procsync.layout.QueueLayout.INSIDE;
import static dev.procsync.layout.QueueLayout.IN_PROGRESS;
import static dev.procsync.layout.QueueLayout.LAST_CLAIMER;
import static dev.procsync.layout.QueueLayout.NOT_EMPTY;
import static dev.procsync.layout.QueueLayout.NOT_FULL;
import static dev.procsync.layout.QueueLayout.PRODUCERS;
import static dev.procsync.layout.QueueLayout.PUT_TOTAL;
import static dev.procsync.layout.QueueLayout.RECORD_HEADER;
import static dev.procsync.layout.QueueLayout.RING;
import static dev.procsync.layout.QueueLayout.SHUTDOWN;
import static dev.procsync.channel.Ring.SMALL;
import static dev.procsync.layout.QueueLayout.TAIL;
import static dev.procsync.channel.Ring.count;
import static dev.procsync.channel.Ring.pos;
import static dev.procsync.channel.Ring.recordLength;
import static dev.procsync.channel.Ring.word;

import dev.procsync.futex.Membarrier;
import dev.procsync.futex.WakeIntent;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.Segment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The producer side of a {@link Ring} handle: claims under the {@link ClaimLock}, record headers,
 * copies, commits, the tail publication and the wait for space, plus the count of this handle's
 * puts in progress that {@link Ring#close()} waits out. The layout and the protocol are described
 * in {@link Ring}.
 */
final class RingWriter {
    /*
     * Puts in progress, for close(). The first thread to put through a handle becomes its owner
     * thread and marks its puts in ownerInPut with plain ordered stores, no atomic instruction:
     * a Dekker handshake with close() (store ownerInPut, full fence, read closing; against store
     * closing, full fence, read ownerInPut), whose fence on the put side is the claim lock's
     * acquiring compareAndSet, so `closing` is read only after the lock is had (claim()); a
     * biased claim has no CAS, and close() calls membarrier instead, once this process has
     * registered for it. Any other thread counts itself in the atomic inFlight, whose
     * getAndIncrement is its own fence.
     *
     * Bias. The owner thread counts claims that took the lock at its first CAS; after a run of
     * them (64, doubled after each revocation up to 2^20) it keeps the lock biased to this handle
     * instead of unlocking (Ring, ClaimLock), so that one producer that has the queue to itself
     * puts without an atomic instruction.
     */
    private static final ProcessId ME = ProcessId.current();
    private static final long MY_OWNER = ME.pid() | ME.startTime() << 22;
    private static final AtomicInteger HANDLES = new AtomicInteger();
    /** Bias words: bit 63, this pid, and a number from BIASES, unique to each bias this process takes. */
    private static final long BIAS_WORD = 1L << 63 | (long) ME.pid() << 32;
    private static final AtomicInteger BIASES = new AtomicInteger();
    /** Uncontended claims in a row before the first bias; doubled after each revocation, up to the max. */
    private static final int FIRST_BIAS_AFTER = 64;
    private static final int MAX_BIAS_AFTER = 1 << 20;
    private static final VarHandle OWNER_THREAD;
    private static final VarHandle OWNER_IN_PUT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            OWNER_THREAD = lookup.findVarHandle(RingWriter.class, "ownerThread", Thread.class);
            OWNER_IN_PUT = lookup.findVarHandle(RingWriter.class, "ownerInPut", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Ring ring;
    private final Segment segment;
    private final AtomicInteger inFlight = new AtomicInteger();
    @SuppressWarnings("unused") // accessed through OWNER_THREAD
    private @Nullable Thread ownerThread;
    @SuppressWarnings("unused") // accessed through OWNER_IN_PUT; written only by ownerThread
    private int ownerInPut;
    /** This handle's lastClaimer token: pid and a per-process handle number, never 0. */
    private final long token = (long) ME.pid() << 32 | (HANDLES.incrementAndGet() & 0xffff_ffffL) | 1L << 63;
    // Owner thread only (close() reads them after awaitNoPut): the bias this handle holds (0: none),
    // the uncontended claims in a row, and how many earn a bias.
    private long biasWord;
    private int uncontended;
    private int biasAfter = FIRST_BIAS_AFTER;
    /** Whether this handle has counted itself in the ring's producers word (see Ring). */
    private volatile boolean counted;
    private long ownTail; // under claimLock: the tail this handle published last, valid while lastClaimer == token
    private long cachedHead; // a hint under claimLock: an old head only underestimates free space ...
    private long cachedHeadPutTotal; // ... unless its count is 2^23 puts old: then counts could alias

    RingWriter(Ring ring) {
        this.ring = ring;
        this.segment = ring.segment;
    }

    /** For {@link Ring#close()}, once it set {@code closing}: waits until no thread of ours is inside a put. */
    void awaitNoPut() {
        // Volatile reads after the volatile store of `closing`: the close side of the handshake.
        for (int spins = 0; inFlight.get() != 0 || (int) OWNER_IN_PUT.getVolatile(this) != 0; spins++) {
            if (spins < 1000) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

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
            ring.checkSize(msgs[i].remaining());
        }
        boolean owner = enter();
        try {
            long lockDeadline = lockDeadline(deadline);
            int done = from;
            while (done < to) {
                int n = tryClaimAndWrite(msgs, done, to, owner, lockDeadline);
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
            exit(owner);
        }
    }

    /** One message; see {@link #put(ByteBuffer[], int, int, long)}. @return whether it was put */
    boolean put(ByteBuffer msg, long deadline) throws InterruptedException {
        return put(null, msg, msg.remaining(), deadline);
    }

    /**
     * One message from a whole array, as a codec returns it: the same as wrapping it, without a
     * buffer object per put.
     *
     * @return whether it was put
     */
    boolean put(byte[] msg, long deadline) throws InterruptedException {
        return put(msg, null, msg.length, deadline);
    }

    /** One message, either {@code array} (whole) or {@code buffer} (position to limit), of {@code len} bytes. */
    private boolean put(byte @Nullable [] array, @Nullable ByteBuffer buffer, int len, long deadline)
            throws InterruptedException {
        ring.checkSize(len);
        boolean owner = enter();
        try {
            long lockDeadline = lockDeadline(deadline);
            while (true) {
                int r = tryClaimAndWrite(array, buffer, len, owner, lockDeadline);
                if (r > 0) {
                    return true;
                }
                if (r < 0 || !awaitSpace(recordLength(len), deadline)) {
                    return false;
                }
            }
        } finally {
            exit(owner);
        }
    }

    /**
     * One message, waiting for nothing, not even for the claim lock (it only spins for it, within
     * the spin policy's budget): for a caller that must never sleep, such as the waiting engine's
     * thread, which retries later instead.
     *
     * @return 1 if put, 0 if it does not fit now, -1 if the claim lock is held by another producer
     */
    int putNow(byte[] msg) {
        ring.checkSize(msg.length);
        boolean owner = enter();
        try {
            // A deadline already passed: the claim lock's slow path spins, then gives up before its first sleep.
            return tryClaimAndWrite(msg, null, msg.length, owner, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // seen before the first sleep: nothing was put
            return -1;
        } finally {
            exit(owner);
        }
    }

    /**
     * Messages {@code msgs[from..to)} in order, as many as fit now, waiting for nothing (see
     * {@link #putNow(byte[])}); those that fit together are claimed under one lock hold.
     *
     * @return how many were put (a prefix; 0 if the first does not fit now), or -1 if the claim
     *         lock is held by another producer
     */
    int putNow(ByteBuffer[] msgs, int from, int to) {
        for (int i = from; i < to; i++) {
            ring.checkSize(msgs[i].remaining());
        }
        boolean owner = enter();
        try {
            return from == to ? 0 : tryClaimAndWrite(msgs, from, to, owner, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // seen before the first sleep: nothing was put
            return -1;
        } finally {
            exit(owner);
        }
    }

    /** A put that must not wait still waits up to one slice for the claim lock, as j.u.c offer() does. */
    private long lockDeadline(long deadline) {
        return deadline == Deadline.NO_WAIT ? System.nanoTime() + ring.slice : deadline;
    }

    /**
     * Marks a put in progress (see the block comment above).
     *
     * @return whether the caller is the owner thread, for {@link #exit(boolean)}
     */
    private boolean enter() {
        Thread me = Thread.currentThread();
        Object owner = OWNER_THREAD.getAcquire(this);
        if (owner == me || owner == null && OWNER_THREAD.compareAndSet(this, null, me)) {
            // Opaque: ordered before the claim lock's CAS, which precedes the read of `closing`.
            OWNER_IN_PUT.setOpaque(this, 1);
            if (ring.closing) { // early out only; the read that counts follows the lock CAS
                OWNER_IN_PUT.setRelease(this, 0);
                throw segment.closedException();
            }
            return true;
        }
        inFlight.getAndIncrement();
        if (ring.closing) {
            inFlight.getAndDecrement();
            throw segment.closedException();
        }
        return false;
    }

    /** Before this handle's first claim: one more producer in the ring's count (see Ring). */
    private void countAsProducer() {
        if (!counted) {
            synchronized (this) {
                if (!counted) {
                    segment.getAndAddInt(PRODUCERS, 1);
                    counted = true;
                }
            }
        }
    }

    private void exit(boolean owner) {
        if (owner) {
            // Release: the put's accesses to the mapping happen before close() may swap it out.
            OWNER_IN_PUT.setRelease(this, 0);
        } else {
            inFlight.getAndDecrement();
        }
    }

    /** How a claim was entered, for {@link #release}. */
    private enum Claim {
        /** Under this handle's bias: no atomic on the way in or out. */
        BIASED,
        /** The claim lock, taken at its first compareAndSet. */
        LOCKED_AT_ONCE,
        /** The claim lock, after a wait. */
        LOCKED,
        /** Neither by the deadline. */
        TIMED_OUT
    }

    /**
     * Enters a claim: under the bias if this handle has it and the caller is its owner thread,
     * else under the claim lock, after which it reads `closing` (the put side of the close
     * handshake; a biased claim's read of it was the one in {@link #enter()}, made safe by the
     * membarrier in {@link Ring#close()}).
     */
    private Claim claim(boolean owner, long lockDeadline) throws InterruptedException {
        countAsProducer();
        if (owner && biasWord != 0) {
            // The holder's side of the revocation handshake (ClaimLock): inside, then bias, in program
            // order (opaque accesses are never reordered by HotSpot) and with no fence.
            segment.setIntOpaque(INSIDE, 1);
            if (segment.getLongOpaque(BIAS) == biasWord) {
                return Claim.BIASED;
            }
            segment.setIntRelease(INSIDE, 0);
            biasWord = 0; // revoked: earn it again, over a longer run each time
            uncontended = 0;
            biasAfter = Math.min(biasAfter << 1, MAX_BIAS_AFTER);
        }
        ClaimLock.Acquired how = ring.claimLock.acquire(lockDeadline);
        if (how == ClaimLock.Acquired.TIMED_OUT) {
            return Claim.TIMED_OUT;
        }
        if (ring.closing) {
            ring.claimLock.unlock();
            throw segment.closedException();
        }
        return how == ClaimLock.Acquired.AT_ONCE ? Claim.LOCKED_AT_ONCE : Claim.LOCKED;
    }

    /** Leaves a claim; the owner thread biases the lock to this handle after a run of uncontended claims. */
    private void release(Claim claim, boolean owner) {
        if (claim == Claim.BIASED) {
            // Release: the claim's stores happen before a revoker that reads inside == 0 takes over.
            segment.setIntRelease(INSIDE, 0);
            return;
        }
        if (owner) {
            uncontended = claim == Claim.LOCKED_AT_ONCE ? uncontended + 1 : 0;
            if (uncontended >= biasAfter && segment.getIntAcquire(PRODUCERS) == 1 && Membarrier.register()) {
                long word = BIAS_WORD | (BIASES.incrementAndGet() & 0xffff_ffffL);
                uncontended = 0;
                if (ring.claimLock.unlockOrBias(word)) {
                    biasWord = word;
                }
                return;
            }
        }
        ring.claimLock.unlock();
    }

    /**
     * For {@link Ring#close()}, after {@link #awaitNoPut()}: gives the lock up if this handle holds
     * it biased, then takes this handle out of the producer count.
     */
    void retire() {
        if (biasWord != 0) {
            ring.claimLock.releaseBias(biasWord);
            biasWord = 0;
        }
        if (counted) {
            segment.getAndAddInt(PRODUCERS, -1); // after the bias: no claim of ours can follow
            counted = false;
        }
    }

    /** @return 1 if put, 0 if it does not fit now, -1 if the claim lock was not had by the deadline */
    private int tryClaimAndWrite(byte @Nullable [] array, @Nullable ByteBuffer msg, int len, boolean owner,
            long lockDeadline) throws InterruptedException {
        long rec = recordLength(len);
        Claim claim = claim(owner, lockDeadline);
        if (claim == Claim.TIMED_OUT) {
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
                segment.setLong(RING + ring.index(p) + 8, MY_OWNER);
                copyIn(p, array, msg, len);
                segment.setLong(RING + ring.index(p), len);
                publish(tail, rec, 1);
            } else {
                writeHeader(pos(tail), len);
                publish(tail, rec, 1);
            }
        } finally {
            release(claim, owner);
        }
        if (len <= SMALL) {
            // The unlock CAS (or getAndSet) was the fence; a biased claim has none, and a consumer
            // about to sleep calls membarrier instead (Ring.prepareWait).
            ring.signalAfterFence(NOT_EMPTY);
            return 1;
        }
        long p = pos(tail);
        try {
            copyIn(p, array, msg, len);
        } catch (RuntimeException | Error e) {
            abandon(p, len);
            throw e;
        }
        commit(p, len);
        ring.signal(NOT_EMPTY);
        return 1;
    }

    /** @return how many were put (0: the first does not fit now), or -1 if the lock was not had in time */
    private int tryClaimAndWrite(ByteBuffer[] msgs, int from, int to, boolean owner, long lockDeadline)
            throws InterruptedException {
        Claim claim = claim(owner, lockDeadline);
        if (claim == Claim.TIMED_OUT) {
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
                    segment.setLong(RING + ring.index(p) + 8, MY_OWNER);
                    copyIn(p, msgs[from + n]);
                    segment.setLong(RING + ring.index(p), len);
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
            release(claim, owner);
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
            ring.signal(NOT_EMPTY);
        }
        return n;
    }

    /** Whether {@code rec} more bytes in {@code n} more records fit after {@code tail}; holds the lock. */
    private boolean fits(long tail, long rec, int n) {
        long head = cachedHead;
        long total = segment.getLong(PUT_TOTAL);
        if (total - cachedHeadPutTotal >= 1L << (COUNT_BITS - 1)
                || !Ring.fits(tail, head, rec, n, ring.limit, ring.maxMessages)) {
            head = segment.getLongAcquire(HEAD);
            cachedHead = head;
            cachedHeadPutTotal = total;
            return Ring.fits(tail, head, rec, n, ring.limit, ring.maxMessages);
        }
        return true;
    }

    private void checkNotShutdown() {
        if (segment.getIntAcquire(SHUTDOWN) != 0) {
            throw new QueueShutdownException(ring.what + " is shut down: no more puts");
        }
    }

    private void writeHeader(long pos, long length) {
        int at = RING + ring.index(pos);
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

    /** Copies {@code array} (whole) if given, else {@code msg} (position to limit, not consumed). */
    private void copyIn(long pos, byte @Nullable [] array, @Nullable ByteBuffer msg, int len) {
        if (array == null) {
            copyIn(pos, java.util.Objects.requireNonNull(msg));
            return;
        }
        int at = ring.index(pos + RECORD_HEADER);
        int first = Math.min(len, ring.ringSize - at);
        ring.buf.put(RING + at, array, 0, first);
        if (first < len) {
            ring.buf.put(RING, array, first, len - first);
        }
    }

    private void copyIn(long pos, ByteBuffer msg) {
        int len = msg.remaining();
        int at = ring.index(pos + RECORD_HEADER);
        int first = Math.min(len, ring.ringSize - at);
        ring.buf.put(RING + at, msg, msg.position(), first);
        if (first < len) {
            ring.buf.put(RING, msg, msg.position() + first, len - first);
        }
    }

    /**
     * Gives up a claimed record whose copy failed (a buffer changed under us, or worse): consumers
     * skip it at once instead of waiting for an owner that is alive and will never commit.
     */
    private void abandon(long pos, long length) {
        segment.setLongRelease(RING + ring.index(pos), ABANDONED | length);
        ring.signal(NOT_EMPTY);
    }

    private void commit(long pos, long length) {
        // Release: the data copied above is visible to a consumer that reads the length with acquire.
        segment.setLongRelease(RING + ring.index(pos), length);
    }

    // ---- waiting ----

    /** Whether {@code rec} bytes and one record fit now (for spinning). */
    private boolean hasSpace(long rec) {
        long tail = segment.getLongAcquire(TAIL);
        long head = segment.getLongAcquire(HEAD);
        return Ring.fits(tail, head, rec, 1, ring.limit, ring.maxMessages);
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
        if (ring.spinner.spin(() -> hasSpace(rec) || segment.getIntOpaque(SHUTDOWN) != 0)) {
            return true;
        }
        while (true) {
            int s = ring.prepareWait(NOT_FULL);
            if (hasSpace(rec) || segment.getIntAcquire(SHUTDOWN) != 0) {
                return true;
            }
            if (ring.closing) {
                throw segment.closedException();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted waiting for space in " + ring.what);
            }
            long left = Deadline.remaining(deadline);
            if (left <= 0) {
                return false;
            }
            segment.await(NOT_FULL, s, left, ring.slice, WakeIntent.ALL);
            segment.checkOpen();
        }
    }
}
