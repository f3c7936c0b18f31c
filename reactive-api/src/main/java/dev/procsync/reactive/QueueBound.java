package dev.procsync.reactive;

/**
 * How much a queue buffers before {@code put} waits: a backend-neutral bound that each backend maps
 * to its own storage. The shared-memory backend turns it into a ring of {@code maxBytes} bytes
 * holding at most {@code maxMessages} records (so a single message must fit the ring, less a
 * record header); the Redis backend bounds the list at {@code maxMessages} entries and rejects a
 * single encoded message longer than {@code maxBytes} (it does not sum the bytes of what is
 * buffered).
 *
 * @param maxMessages how many messages may be buffered, at least 1
 * @param maxBytes    how many encoded bytes may be buffered, at least 1 (backends may demand more,
 *                    e.g. the shared-memory ring needs at least 64)
 */
public record QueueBound(long maxMessages, long maxBytes) {
    /** Bytes of the default bound: 1 MiB. */
    public static final long DEFAULT_BYTES = 1L << 20;

    /** Messages of the default bound: one per 16 bytes of {@link #DEFAULT_BYTES}. */
    public static final long DEFAULT_MESSAGES = DEFAULT_BYTES / 16;

    /**
     * Checks the bound.
     *
     * @throws IllegalArgumentException if either number is less than 1
     */
    public QueueBound {
        if (maxMessages < 1) {
            throw new IllegalArgumentException("queue bound in messages must be at least 1: " + maxMessages);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("queue bound in bytes must be at least 1: " + maxBytes);
        }
    }

    /**
     * A bound of {@code maxMessages} messages and {@link #DEFAULT_BYTES}.
     *
     * @param maxMessages how many messages may be buffered, at least 1
     * @return the bound
     */
    public static QueueBound messages(long maxMessages) {
        return new QueueBound(maxMessages, DEFAULT_BYTES);
    }

    /**
     * The default bound: {@link #DEFAULT_MESSAGES} messages, {@link #DEFAULT_BYTES} bytes.
     *
     * @return the bound
     */
    public static QueueBound defaults() {
        return new QueueBound(DEFAULT_MESSAGES, DEFAULT_BYTES);
    }
}
