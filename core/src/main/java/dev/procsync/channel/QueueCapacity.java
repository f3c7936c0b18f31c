package dev.procsync.channel;

import dev.procsync.layout.QueueLayout;
/**
 * The bound of a {@link Queue}: how many bytes of records its ring may hold and how many messages.
 * Both bounds apply; a put waits until the message fits under both.
 *
 * <p>A record takes 16 header bytes plus the message, rounded up to a multiple of 16, so a queue
 * of {@code B} bytes holds at most {@code B / 16} empty messages and one message of at most
 * {@link #maxMessageSize()} bytes ({@code B - 16} when B is a multiple of 16). The ring itself
 * is {@code B} rounded up to a power of two ({@link #ringBytes()}, what the queue reserves in
 * shared memory); the unused rest of it is never filled. The message bound is at most
 * {@link #MAX_MESSAGES} (the message counters are 24 bits wide in shared memory, and stay
 * unambiguous up to half their range).
 *
 * <p>Sizing: {@link #bytes(long)} when the bound is in bytes; {@link #messages(long, long)} when it
 * is a message count and the largest message is known; {@link #messages(long)}, Python's
 * {@code Queue(maxsize)}, assumes messages of up to {@link #DEFAULT_MESSAGE_SIZE} bytes and
 * reserves no more than {@link #DEFAULT_BYTES}.
 *
 * @param bytes    byte bound, {@link #MIN_BYTES}..{@link #MAX_BYTES}
 * @param messages message bound, 1..{@link #MAX_MESSAGES}
 */
public record QueueCapacity(long bytes, long messages) {
    /** Smallest byte bound. */
    public static final long MIN_BYTES = 64;
    /** Largest byte bound: 1 GiB. */
    public static final long MAX_BYTES = 1L << 30;
    /** Largest message bound (2<sup>23</sup>). */
    public static final long MAX_MESSAGES = 1L << 23;
    /** Byte bound of {@link #defaults()}, and the most {@link #messages(long)} reserves: 1 MiB. */
    public static final long DEFAULT_BYTES = 1L << 20;
    /** The message size {@link #messages(long)} makes room for: 4 KiB. */
    public static final long DEFAULT_MESSAGE_SIZE = 4096;

    /**
     * Validates both bounds.
     *
     * @throws IllegalArgumentException if a bound is zero, negative or too large
     */
    public QueueCapacity {
        if (bytes < MIN_BYTES || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("queue capacity in bytes must be " + MIN_BYTES + ".." + MAX_BYTES
                    + ": " + bytes);
        }
        if (messages < 1 || messages > MAX_MESSAGES) {
            throw new IllegalArgumentException("queue capacity in messages must be 1.." + MAX_MESSAGES + ": "
                    + messages);
        }
    }

    /**
     * A byte bound only (the message bound is then {@code min(bytes / 16, MAX_MESSAGES)}, i.e. none
     * beyond the bytes).
     *
     * @param bytes the byte bound
     * @return the capacity
     */
    public static QueueCapacity bytes(long bytes) {
        if (bytes < MIN_BYTES || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("queue capacity in bytes must be " + MIN_BYTES + ".." + MAX_BYTES
                    + ": " + bytes);
        }
        return new QueueCapacity(bytes, Math.min(bytes / 16, MAX_MESSAGES));
    }

    /**
     * A message bound, the {@code Queue(maxsize)} of Python: room for {@code messages} messages of
     * up to {@link #DEFAULT_MESSAGE_SIZE} bytes each, in a ring of at most {@link #DEFAULT_BYTES}
     * (so a large count of small messages does not reserve more than the default queue). The byte
     * bound is that room rounded up to a power of two, the ring's own size: a larger message fits
     * while the queue holds fewer, up to {@link #maxMessageSize()}. {@code messages(6)} reserves a
     * 32 KiB ring.
     *
     * @param messages the message bound
     * @return the capacity
     * @throws IllegalArgumentException if the bound is not 1..{@link #MAX_MESSAGES}
     */
    public static QueueCapacity messages(long messages) {
        checkMessages(messages);
        long room = Math.min(messages, DEFAULT_BYTES) * record(DEFAULT_MESSAGE_SIZE);
        return new QueueCapacity(Math.min(DEFAULT_BYTES, powerOfTwo(room)), messages);
    }

    /**
     * A message bound with the largest message: room for {@code messages} messages of
     * {@code maxMessageSize} bytes each (16 header bytes each, rounded up to 16), rounded up to a
     * power of two, the ring's own size.
     *
     * @param messages       the message bound
     * @param maxMessageSize the largest message in bytes, 0 or more
     * @return the capacity; its {@link #maxMessageSize()} is at least {@code maxMessageSize}
     * @throws IllegalArgumentException if the bound is not 1..{@link #MAX_MESSAGES}, the size is
     *                                  negative, or the room exceeds {@link #MAX_BYTES}
     */
    public static QueueCapacity messages(long messages, long maxMessageSize) {
        checkMessages(messages);
        if (maxMessageSize < 0 || maxMessageSize > MAX_BYTES - 16) {
            throw new IllegalArgumentException("largest queue message must be 0.." + (MAX_BYTES - 16) + " bytes: "
                    + maxMessageSize);
        }
        long room = messages * record(maxMessageSize);
        if (room > MAX_BYTES) {
            throw new IllegalArgumentException(messages + " queue messages of " + maxMessageSize + " bytes need "
                    + room + " bytes of ring (16-byte header each, rounded up to 16); the most is " + MAX_BYTES);
        }
        return new QueueCapacity(powerOfTwo(room), messages);
    }

    private static void checkMessages(long messages) {
        if (messages < 1 || messages > MAX_MESSAGES) {
            throw new IllegalArgumentException("queue capacity in messages must be 1.." + MAX_MESSAGES + ": "
                    + messages);
        }
    }

    private static long record(long messageSize) {
        return (QueueLayout.RECORD_HEADER + messageSize + 15) & ~15L;
    }

    private static long powerOfTwo(long bytes) {
        return Math.max(MIN_BYTES, Long.highestOneBit(bytes - 1) << 1);
    }

    /**
     * Both bounds.
     *
     * @param bytes    the byte bound
     * @param messages the message bound
     * @return the capacity
     */
    public static QueueCapacity of(long bytes, long messages) {
        return new QueueCapacity(bytes, messages);
    }

    /** One MiB, no message bound beyond it. @return the default capacity */
    public static QueueCapacity defaults() {
        return bytes(DEFAULT_BYTES);
    }

    /**
     * The largest message a queue of this capacity carries: {@code bytes} rounded down to a
     * multiple of 16, minus 16.
     *
     * @return the size
     */
    public long maxMessageSize() {
        return (bytes & ~15L) - QueueLayout.RECORD_HEADER;
    }

    /**
     * The ring a queue of this capacity reserves in shared memory: {@link #bytes()} rounded up to
     * a power of two (the file adds a 576-byte control block and rounds up to whole pages).
     *
     * @return the ring's size in bytes
     */
    public long ringBytes() {
        return Ring.ringSize(bytes);
    }

    /**
     * Both bounds and what they reserve, e.g.
     * {@code QueueCapacity[bytes=32768, messages=6, ring=32768 B, largest message=32752 B]}.
     */
    @Override
    public String toString() {
        return "QueueCapacity[bytes=" + bytes + ", messages=" + messages + ", ring=" + ringBytes()
                + " B, largest message=" + maxMessageSize() + " B]";
    }
}
