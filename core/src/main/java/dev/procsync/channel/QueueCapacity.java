package dev.procsync.channel;

/**
 * The bound of a {@link Queue}: how many bytes of records its ring may hold and how many messages.
 * Both bounds apply; a put waits until the message fits under both.
 *
 * <p>A record takes 16 header bytes plus the message, rounded up to a multiple of 16, so a queue
 * of {@code B} bytes holds at most {@code B / 16} empty messages and one message of at most
 * {@link #maxMessageSize()} bytes ({@code B - 16} when B is a multiple of 16). The ring itself
 * is {@code B} rounded up to a power of two; the unused rest of it is never filled. The message
 * bound is at most {@link #MAX_MESSAGES} (the message counters are 24 bits wide in shared memory,
 * and stay unambiguous up to half their range).
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
    /** Byte bound when only a message bound is given: 1 MiB. */
    public static final long DEFAULT_BYTES = 1L << 20;

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
     * A message bound in a ring of {@link #DEFAULT_BYTES}, the {@code Queue(maxsize)} of Python.
     *
     * @param messages the message bound
     * @return the capacity
     */
    public static QueueCapacity messages(long messages) {
        return new QueueCapacity(DEFAULT_BYTES, messages);
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
        return (bytes & ~15L) - Ring.RECORD_HEADER;
    }
}
