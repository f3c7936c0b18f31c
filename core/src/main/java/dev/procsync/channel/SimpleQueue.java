package dev.procsync.channel;

import dev.procsync.codec.Codec;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SegmentKind;
import java.util.Objects;

/**
 * The minimal queue: {@link #put}, {@link #get}, {@link #isEmpty} and {@link #close}, the analogue
 * of {@code multiprocessing.SimpleQueue}. It is the same ring as {@link Queue} (same crash
 * guarantees, encoding in the caller, synchronous put) without timeouts or a message bound.
 *
 * <p>Its actual bound: a ring of {@link #DEFAULT_BYTES} (or the size given at creation) reserved
 * in the namespace's file system. Python's SimpleQueue is bounded by its pipe buffer (64 KiB on
 * Linux) and blocks the putter beyond it; this one does the same beyond its ring, and rejects a
 * single message larger than the ring minus 16 bytes.
 *
 * @param <T> the message type
 */
public final class SimpleQueue<T> implements AutoCloseable {
    /** Ring bytes when none are given: 4 MiB. */
    public static final long DEFAULT_BYTES = 4L << 20;

    private final Queue<T> queue;

    private SimpleQueue(SegmentDirectory ns, String name, Codec<T> codec, long bytes) {
        this.queue = new Queue<>(ns, name, codec, QueueCapacity.bytes(bytes), SegmentKind.SIMPLE_QUEUE,
                "simple queue");
    }

    /**
     * Opens or creates the named simple queue.
     *
     * @param <T>   the message type
     * @param ns    the namespace
     * @param name  the queue's name
     * @param codec how messages are encoded
     * @param bytes ring size, {@link QueueCapacity#MIN_BYTES}..{@link QueueCapacity#MAX_BYTES};
     *              must match the size it was created with
     * @return a new handle
     */
    public static <T> SimpleQueue<T> open(SegmentDirectory ns, String name, Codec<T> codec, long bytes) {
        return new SimpleQueue<>(ns, name, Objects.requireNonNull(codec, "codec"), bytes);
    }

    /**
     * Puts a message; waits while the ring is full.
     *
     * @param message the message
     * @throws InterruptedException     if interrupted while waiting
     * @throws IllegalArgumentException if it cannot be encoded or is too large
     */
    public void put(T message) throws InterruptedException {
        queue.put(message);
    }

    /**
     * Takes the oldest message, waiting until there is one.
     *
     * @return the message
     * @throws InterruptedException if interrupted while waiting
     */
    public T get() throws InterruptedException {
        return queue.get();
    }

    /** Whether it holds no message (a snapshot). */
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /**
     * The same ring seen as a full {@link Queue} (timeouts, {@code offer}/{@code poll}, the sleeper
     * hooks), for adapters such as the reactive layer. It is this handle's own queue: closing either
     * closes both.
     *
     * @return the queue view
     */
    public Queue<T> asQueue() {
        return queue;
    }

    /** The queue's name. */
    public String name() {
        return queue.name();
    }

    /** Closes this handle; the queue and its messages stay. */
    @Override
    public void close() {
        queue.close();
    }

    @Override
    public String toString() {
        return "SimpleQueue[" + queue.name() + "]";
    }
}
