package dev.procsync.channel;

import dev.procsync.layout.QueueLayout;
import dev.procsync.ClosedException;
import dev.procsync.codec.Codec;
import dev.procsync.codec.Codecs;
import dev.procsync.internal.InternalApi;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SegmentKind;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A bounded multi-producer, multi-consumer FIFO queue of messages shared by every process that
 * opens the same name: the analogue of {@code multiprocessing.Queue}, without its feeder thread.
 *
 * <p>Messages are encoded by a {@link Codec} in the caller and stored as variable-length records
 * in a ring in shared memory. Messages put by one thread come out in the order it put them;
 * messages of different producers interleave. The queue is bounded by a {@link QueueCapacity}
 * (bytes and messages); a message larger than {@link #maxMessageSize()} is rejected.
 *
 * <h2>Putting and getting</h2>
 * {@link #put(Object)} is synchronous: when it returns, the message is in shared memory and
 * visible to every consumer, and an encoding error is thrown by {@code put} itself, with nothing
 * written. It waits while the queue is full. {@link #offer(Object)} never waits and
 * {@link #offer(Object, Duration)} waits at most the timeout; both return {@code false} when the
 * message did not fit. Likewise {@link #get()} waits for a message, {@link #poll()} never waits
 * and {@link #poll(Duration)} waits at most the timeout; both return {@code null} when there was
 * none (messages are never null). Timeouts are reported by value, not by Python's
 * {@code queue.Full}/{@code queue.Empty} exceptions; a zero or negative timeout only tries
 * (as in java.util.concurrent). Batches ({@link #putAll}, {@link #offerAll}, {@link #drainTo}) claim several records
 * with one atomic operation, and the byte variants ({@link #putBytes}, {@link #getBytes}) skip the
 * codec and copy straight between a caller's buffer and the ring.
 *
 * <p>A waiting thread spins briefly and then sleeps on a futex word in slices; an uncontended put
 * or get makes no system call (a wake-up is sent only when a waiter has said it sleeps). Waits are
 * interruptible ({@link InterruptedException} within one slice of {@link Thread#interrupt()}).
 *
 * <p>A handle that is the queue's only producer, putting from one thread, keeps the producers'
 * claim lock <em>biased</em> to itself after a run of uncontended puts (where the kernel has
 * {@code membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED)}): its puts then make no atomic instruction
 * at all. When another producer comes, its first put revokes the bias, which costs it a few
 * microseconds once; from then on both take the lock. The layout document (docs/layout/queue.md)
 * has the protocol.
 *
 * <h2>Closing and shutting down</h2>
 * {@link #close()} closes this handle only: its waiting threads fail with {@link ClosedException}
 * and any later use of it throws that too; the queue and its messages stay. {@link #shutdown()}
 * closes the queue for everyone: from then on every put in every process throws
 * {@link QueueShutdownException}, waiting putters wake with it, and gets keep returning the
 * messages still queued (including those whose put was under way) and throw it once the queue is
 * empty. Shutdown is permanent for the name; unlink it to start afresh.
 *
 * <h2>When a peer dies</h2>
 * A producer killed between claiming a record and committing it (possible for messages over 256
 * bytes, which are copied outside the claim lock) leaves a claim that consumers wait for; once
 * it has been pending for one sleep slice (25 ms by default) a consumer checks the claimer's pid
 * and start time and, if the process is gone, skips the record: that message is lost,
 * every other is delivered. A producer killed while it holds the short claim lock is detected the
 * same way by the next producer, and so is one killed while it holds the lock biased, inside a
 * put or between puts (a queue that outlives a killed producer is no longer biased afterwards:
 * correct, only slower). A consumer removes a message with a single compare-and-set on
 * the head: a consumer killed before it leaves the message to the others, killed after it takes
 * the message with it. Delivery is therefore <em>at most once</em>: a message is never delivered
 * twice, and is lost only with a producer killed inside its {@code put} or a consumer killed inside
 * its {@code get} (at most one message each, or one batch for the batch calls). No death wedges the
 * queue for the survivors.
 *
 * <h2>Memory consistency effects</h2>
 * Actions in a thread before it puts a message happen-before actions after the get that returns
 * that message, in any process.
 *
 * @param <T> the message type
 */
public class Queue<T> implements AutoCloseable {
    final String name;
    final Codec<T> codec;
    final Ring ring;
    final QueueCapacity capacity;

    Queue(SegmentDirectory ns, String name, Codec<T> codec, QueueCapacity capacity, SegmentKind kind, String what) {
        this.name = name;
        this.codec = Objects.requireNonNull(codec, "codec");
        this.capacity = Objects.requireNonNull(capacity, "capacity");
        this.ring = Ring.open(ns, name, what + " '" + name + "'", kind, capacity, codec);
    }

    /**
     * Opens or creates the named queue; see {@link dev.procsync.Namespace#queue(String, Codec, QueueCapacity)}.
     *
     * @param <T>      the message type
     * @param ns       the namespace
     * @param name     the queue's name
     * @param codec    how messages are encoded; its id must match the one the queue was created with
     * @param capacity the bound; must match the one the queue was created with
     * @return a new handle
     * @throws dev.procsync.SegmentMismatchException if the name holds another kind, capacity or codec
     */
    public static <T> Queue<T> open(SegmentDirectory ns, String name, Codec<T> codec, QueueCapacity capacity) {
        return new Queue<>(ns, name, codec, capacity, SegmentKind.QUEUE, "queue");
    }

    /** The queue's name. */
    public String name() {
        return name;
    }

    /** The codec of this handle. */
    public Codec<T> codec() {
        return codec;
    }

    /** The bound the queue was created with. */
    public QueueCapacity capacity() {
        return capacity;
    }

    /** The largest message in bytes: {@link QueueCapacity#maxMessageSize()}. */
    public long maxMessageSize() {
        return ring.maxMessageSize();
    }

    // ---- putting ----

    /**
     * Puts a message, waiting while the queue is full.
     *
     * @param message the message
     * @throws InterruptedException     if interrupted while waiting (nothing was put)
     * @throws IllegalArgumentException if the codec cannot encode it or it is larger than
     *                                  {@link #maxMessageSize()}
     * @throws QueueShutdownException   if the queue is shut down
     * @throws ClosedException          if this handle is closed
     */
    public void put(T message) throws InterruptedException {
        ring.writer.put(encodeArray(message), Deadline.NONE);
    }

    /**
     * Puts a message if it fits now. Does not wait for room; waits at most one sleep slice for the
     * claim lock, which producers hold only for a few stores (longer only if its holder is stopped
     * or dying), and returns {@code false} with the interrupt status set if interrupted then.
     *
     * @param message the message
     * @return whether it was put ({@code false}: the queue is full)
     * @throws IllegalArgumentException if it cannot be encoded or is too large
     * @throws QueueShutdownException   if the queue is shut down
     */
    public boolean offer(T message) {
        try {
            return ring.writer.put(encodeArray(message), Deadline.NO_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Puts a message if it fits now and no other producer holds the claim lock: never sleeps, not
     * even the slice {@link #offer(Object)} may wait for the claim lock. For a caller that must not
     * sleep (the waiting engine's thread) and retries instead.
     *
     * @param message the message
     * @return 1 if it was put, 0 if the queue is full, -1 if another producer holds the claim lock
     * @throws IllegalArgumentException if it cannot be encoded or is too large
     * @throws QueueShutdownException   if the queue is shut down
     */
    @InternalApi
    public int offerNow(T message) {
        return ring.writer.putNow(encodeArray(message));
    }

    /**
     * Encodes a message for {@link #offerEncodedNow}, in the caller: the codec runs once however
     * often the put is retried.
     *
     * @param message the message
     * @return its encoding, to pass to {@link #offerEncodedNow} unchanged
     * @throws IllegalArgumentException if it cannot be encoded or is too large
     * @throws ClosedException          if this handle is closed
     */
    @InternalApi
    public ByteBuffer encodeForPut(T message) {
        return ByteBuffer.wrap(encodeArray(message));
    }

    /**
     * Puts encoded messages {@code encoded[from..to)} in order, as many as fit now, never sleeping
     * (as {@link #offerNow}); the messages that fit together are claimed with one atomic operation.
     * For the waiting engine's thread, which retries the rest later.
     *
     * @param encoded messages from {@link #encodeForPut}, each from position to limit (not consumed)
     * @param from    the first to put
     * @param to      one past the last
     * @return how many were put (the first that many), 0 if the first does not fit now, or -1 if
     *         another producer holds the claim lock
     * @throws QueueShutdownException if the queue is shut down
     */
    @InternalApi
    public int offerEncodedNow(ByteBuffer[] encoded, int from, int to) {
        Objects.checkFromToIndex(from, to, encoded.length);
        return ring.writer.putNow(encoded, from, to);
    }

    /**
     * Puts a message, waiting at most {@code timeout} for room.
     *
     * @param message the message
     * @param timeout longest wait; zero or negative only tries
     * @return whether it was put ({@code false} on timeout)
     * @throws InterruptedException     if interrupted while waiting
     * @throws IllegalArgumentException if the message cannot be encoded
     *                                  or is too large
     * @throws QueueShutdownException   if the queue is shut down
     */
    public boolean offer(T message, Duration timeout) throws InterruptedException {
        long deadline = Deadline.of(timeout, ring.what);
        return ring.writer.put(encodeArray(message), deadline);
    }

    /**
     * Puts every message in order, waiting for room as needed. Messages that fit together are
     * claimed with one atomic operation. All are encoded before the first is put.
     *
     * @param messages the messages
     * @throws InterruptedException   if interrupted while waiting; a prefix may have been put
     * @throws QueueShutdownException if the queue is shut down; a prefix may have been put
     */
    public void putAll(Collection<? extends T> messages) throws InterruptedException {
        ByteBuffer[] encoded = encodeAll(messages);
        ring.writer.put(encoded, 0, encoded.length, Deadline.NONE);
    }

    /**
     * Puts as many of the messages, in order, as fit now. Does not wait for room (see {@link #offer(Object)}).
     *
     * @param messages the messages
     * @return how many were put: the first that many of the collection's iteration order
     */
    public int offerAll(Collection<? extends T> messages) {
        ByteBuffer[] encoded = encodeAll(messages);
        try {
            return ring.writer.put(encoded, 0, encoded.length, Deadline.NO_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /**
     * Puts the remaining bytes of {@code message} as one message, bypassing the codec (they should
     * be a valid encoding for the consumers' codec). Waits while the queue is full. The buffer's
     * position is not changed.
     *
     * @param message the bytes, from position to limit
     * @throws InterruptedException if interrupted while waiting
     */
    public void putBytes(ByteBuffer message) throws InterruptedException {
        ring.writer.put(message, Deadline.NONE);
    }

    /**
     * Puts raw bytes if they fit now; see {@link #putBytes(ByteBuffer)}.
     *
     * @param message the bytes, from position to limit
     * @return whether they were put
     */
    public boolean offerBytes(ByteBuffer message) {
        try {
            return ring.writer.put(message, Deadline.NO_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Puts raw bytes, waiting at most {@code timeout}; see {@link #putBytes(ByteBuffer)}.
     *
     * @param message the bytes, from position to limit
     * @param timeout longest wait; zero or negative only tries
     * @return whether they were put
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean offerBytes(ByteBuffer message, Duration timeout) throws InterruptedException {
        return ring.writer.put(message, Deadline.of(timeout, ring.what));
    }

    ByteBuffer encode(T message) {
        return ByteBuffer.wrap(encodeArray(message));
    }

    /** Encodes in the caller, before anything is claimed; the array is not kept past the put. */
    byte[] encodeArray(T message) {
        Objects.requireNonNull(message, "message");
        if (ring.isClosed()) {
            throw ring.closedException();
        }
        byte[] bytes = codec.encode(message);
        ring.checkSize(bytes.length);
        return bytes;
    }

    private ByteBuffer[] encodeAll(Collection<? extends T> messages) {
        ByteBuffer[] out = new ByteBuffer[messages.size()];
        int i = 0;
        for (T m : messages) {
            out[i++] = encode(m);
        }
        return out;
    }

    // ---- getting ----

    /**
     * Takes the oldest message, waiting until there is one.
     *
     * @return the message
     * @throws InterruptedException     if interrupted while waiting (nothing was taken)
     * @throws QueueShutdownException   if the queue is shut down and empty
     * @throws IllegalArgumentException if the codec cannot decode the message (it is consumed)
     * @throws ClosedException          if this handle is closed
     */
    public T get() throws InterruptedException {
        Object r = ring.reader.tryTake();
        if (r == RingReader.EMPTY || r == RingReader.PENDING) {
            r = Objects.requireNonNull(ring.reader.take(ring.reader::tryTake, Deadline.NONE));
        }
        return decode((byte[]) r);
    }

    /**
     * Takes the oldest message if one is ready now. Never waits.
     *
     * @return the message, or {@code null} if none is ready
     * @throws QueueShutdownException if the queue is shut down and empty
     */
    public @Nullable T poll() {
        Object r = ring.reader.tryTake();
        if (r == RingReader.EMPTY || r == RingReader.PENDING) {
            if (r == RingReader.EMPTY && ring.isShutdown() && ring.size() == 0) {
                throw new QueueShutdownException(ring.what + " is shut down and empty");
            }
            return null;
        }
        return decode((byte[]) r);
    }

    /**
     * Takes the oldest message, waiting at most {@code timeout} for one.
     *
     * @param timeout longest wait; zero or negative only tries
     * @return the message, or {@code null} on timeout
     * @throws InterruptedException     if interrupted while waiting
     * @throws QueueShutdownException   if the queue is shut down and empty
     */
    public @Nullable T poll(Duration timeout) throws InterruptedException {
        long deadline = Deadline.of(timeout, ring.what);
        Object r = ring.reader.take(ring.reader::tryTake, deadline);
        return r == null ? null : decode((byte[]) r);
    }

    /**
     * Takes up to {@code max} messages that are ready now, oldest first, and adds them to
     * {@code sink}. Never waits. Consecutive ready messages are removed with one atomic operation.
     * If the codec cannot decode one of them, the exception is thrown after the messages before it
     * were added; the rest of that batch is consumed and lost.
     *
     * @param sink where to add them
     * @param max  most messages to take
     * @return how many were added
     */
    public int drainTo(Collection<? super T> sink, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("negative max for " + ring.what + ": " + max);
        }
        int total = 0;
        while (total < max) {
            byte[][] batch = ring.reader.tryDrain(max - total);
            if (batch.length == 0) {
                break;
            }
            List<T> decoded = new ArrayList<>(batch.length);
            for (byte[] b : batch) {
                decoded.add(decode(b));
            }
            sink.addAll(decoded);
            total += batch.length;
        }
        return total;
    }

    /**
     * Takes the oldest message's bytes into {@code dst} at its position (advancing it), bypassing
     * the codec; waits until there is a message.
     *
     * @param dst where to copy the message
     * @return its length
     * @throws IllegalArgumentException if the message is longer than {@code dst.remaining()}; it
     *                                  stays in the queue
     * @throws InterruptedException     if interrupted while waiting
     */
    public int getBytes(ByteBuffer dst) throws InterruptedException {
        Object r = ring.reader.tryTakeInto(dst);
        if (r == RingReader.EMPTY || r == RingReader.PENDING) {
            r = Objects.requireNonNull(ring.reader.take(() -> ring.reader.tryTakeInto(dst), Deadline.NONE));
        }
        return (Integer) r;
    }

    /**
     * Like {@link #getBytes(ByteBuffer)} but waits at most {@code timeout}.
     *
     * @param dst     where to copy the message
     * @param timeout longest wait; zero or negative only tries
     * @return its length, or -1 on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public int pollBytes(ByteBuffer dst, Duration timeout) throws InterruptedException {
        Object r = ring.reader.take(() -> ring.reader.tryTakeInto(dst), Deadline.of(timeout, ring.what));
        return r == null ? -1 : (Integer) r;
    }

    T decode(byte[] bytes) {
        if (codec == Codecs.bytes()) {
            @SuppressWarnings("unchecked")
            T same = (T) bytes; // byte[] codec: the copy out of the ring is already the value
            return same;
        }
        return codec.decode(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
    }

    // ---- state ----

    /**
     * The number of messages in the queue (including those whose put is under way): exact when no
     * put or get is in progress, otherwise a value between the counts before and after them.
     *
     * @return the count
     */
    public int size() {
        return (int) ring.size();
    }

    /** Whether the queue holds no message (see {@link #size()}). */
    public boolean isEmpty() {
        return ring.size() == 0;
    }

    /** Whether no message, not even an empty one, fits now (see {@link #size()}). */
    public boolean isFull() {
        return ring.isFull();
    }

    /** Bytes of ring the queued records take, headers and padding included (a snapshot). */
    public long usedBytes() {
        return ring.usedBytes();
    }

    /**
     * Shuts the queue down for every process: see the class description. Idempotent.
     *
     * @throws ClosedException if this handle is closed
     */
    public void shutdown() {
        ring.shutdown();
    }

    /** Whether some process has shut the queue down. */
    public boolean isShutdown() {
        return ring.isShutdown();
    }

    /** Whether {@link #close()} has been called on this handle. */
    public boolean isClosed() {
        return ring.isClosed();
    }

    /**
     * Registers the caller as a sleeper on the "not empty" event count without blocking, for a
     * caller that sleeps elsewhere (the reactive poller). Protocol: arm, then try {@link #poll()};
     * if it found nothing, sleep on {@link #notEmptyAddress()} while the word holds the returned
     * value (a bounded futex wait or one entry of a {@code futex_waitv}), and try again after
     * every return. Every put that finds a sleeper registered wakes all of them, so giving up
     * needs no undo (a stale registration costs one spurious {@code FUTEX_WAKE}).
     *
     * @return the value to sleep on
     * @throws dev.procsync.ClosedException if this handle is closed
     */
    @InternalApi
    public int armNotEmpty() {
        return ring.prepareWait(QueueLayout.NOT_EMPTY);
    }

    /**
     * The address of the "not empty" event count; valid while this handle is open.
     *
     * @return the native address
     */
    @InternalApi
    public long notEmptyAddress() {
        return ring.segment.address(QueueLayout.NOT_EMPTY);
    }

    /**
     * Like {@link #armNotEmpty()} for producers: registers as a sleeper on the "not full" event
     * count, which every take that finds a sleeper registered signals.
     *
     * @return the value to sleep on
     * @throws dev.procsync.ClosedException if this handle is closed
     */
    @InternalApi
    public int armNotFull() {
        return ring.prepareWait(QueueLayout.NOT_FULL);
    }

    /**
     * The address of the "not full" event count; valid while this handle is open.
     *
     * @return the native address
     */
    @InternalApi
    public long notFullAddress() {
        return ring.segment.address(QueueLayout.NOT_FULL);
    }

    /**
     * This queue as a {@link java.util.concurrent.BlockingQueue}, for code written against
     * java.util.concurrent (for example an executor's work queue or a producer/consumer pair
     * coded to the interface). The view puts and takes through this handle, so its messages are
     * shared with every process, and keeps that interface's conventions where they differ from
     * this class's:
     * <ul>
     *   <li>{@code null} messages throw {@link NullPointerException}; {@code add} on a full queue
     *       throws {@link IllegalStateException}.</li>
     *   <li>{@code put}, {@code take} and the timed {@code offer}/{@code poll} throw
     *       {@link InterruptedException} when the thread is interrupted on entry (as
     *       {@code ArrayBlockingQueue} does) or while waiting; a timeout of zero or less does not
     *       wait at all.</li>
     *   <li>{@code remainingCapacity()} is the message bound minus {@link #size()}: an upper bound,
     *       since the byte bound of the {@link QueueCapacity} may refuse a large message sooner.
     *       {@code size()} and {@code isEmpty()} are {@link #size()}'s snapshots.</li>
     *   <li>{@code drainTo} takes what is ready now, as {@link #drainTo(Collection, int)};
     *       {@code clear()} takes and drops every ready message.</li>
     *   <li>Only the head can be taken: another process may take any message at any moment, and
     *       the ring keeps no snapshot to walk. So {@code peek()}/{@code element()},
     *       {@code iterator()}, {@code contains}, {@code remove(Object)}, {@code removeAll},
     *       {@code retainAll} and {@code toArray} throw {@link UnsupportedOperationException}
     *       saying so, as a snapshot-less concurrent queue does. {@code toString()} names the
     *       queue and its size.</li>
     *   <li>After {@link #shutdown()} puts throw {@link QueueShutdownException}, and so do takes once
     *       the queue is empty (j.u.c. has no shutdown to map it to).</li>
     * </ul>
     * Peer death and memory consistency effects are this queue's (see the class description).
     *
     * @return a view over this handle (closing the handle closes the view)
     */
    public java.util.concurrent.BlockingQueue<T> asBlockingQueue() {
        return new BlockingQueueView<>(this);
    }

    /** The segment (for the reactive bridge and the inspector). */
    @InternalApi
    public Segment segment() {
        return ring.segment;
    }

    /**
     * Closes this handle: waits for its puts that are copying into the ring to commit, then unmaps
     * it; its waiting threads fail with {@link ClosedException}. Other handles and processes are
     * not affected. Idempotent.
     *
     * <p>Close the queue handle, not only its {@link dev.procsync.Namespace}, while other threads may be inside
     * {@code put}: {@code Namespace.close()} unmaps without waiting, and a put cut off between
     * claim and commit leaves its record pending until this process exits (consumers then skip
     * it as a dead claim).
     */
    @Override
    public void close() {
        ring.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + (isClosed() ? ", closed" : ", size=" + size()) + "]";
    }
}
