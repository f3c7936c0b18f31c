package dev.procsync.reactive;

/**
 * How much a queue buffers before {@code put} waits: a backend-neutral bound that each backend maps
 * to its own storage. Zero in either field means "the backend's default".
 *
 * <p>The shared-memory backend turns it into a ring: {@code maxBytes} bytes holding at most
 * {@code maxMessages} records, so a single message must fit the ring less a record header;
 * {@code messages(n)} gives the same ring as core's {@code QueueCapacity.messages(n)} and
 * {@link #defaults()} the same as {@code QueueCapacity.defaults()}, so blocking and reactive
 * processes open the same queue. The Redis backend bounds the list at {@code maxMessages} entries
 * and rejects a single encoded message longer than {@code maxBytes} (it does not sum the bytes of
 * what is buffered).
 *
 * @param maxMessages how many messages may be buffered, or 0 for the backend's default
 * @param maxBytes    how many encoded bytes may be buffered, or 0 for the backend's default for
 *                    that many messages (backends may demand more, e.g. the shared-memory ring
 *                    needs at least 64)
 */
public record QueueBound(long maxMessages, long maxBytes) {
    /**
     * Checks the bound.
     *
     * @throws IllegalArgumentException if a number is negative, or bytes are given without messages
     */
    public QueueBound {
        if (maxMessages < 0) {
            throw new IllegalArgumentException("queue bound in messages must be at least 0: " + maxMessages);
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("queue bound in bytes must be at least 0: " + maxBytes);
        }
        if (maxMessages == 0 && maxBytes != 0) {
            throw new IllegalArgumentException("a queue bound in bytes needs a bound in messages: " + maxBytes);
        }
    }

    /**
     * A bound of {@code maxMessages} messages, the bytes left to the backend.
     *
     * @param maxMessages how many messages may be buffered, at least 1
     * @return the bound
     */
    public static QueueBound messages(long maxMessages) {
        if (maxMessages < 1) {
            throw new IllegalArgumentException("queue bound in messages must be at least 1: " + maxMessages);
        }
        return new QueueBound(maxMessages, 0);
    }

    /**
     * A bound of {@code maxMessages} messages and {@code maxBytes} bytes.
     *
     * @param maxMessages how many messages may be buffered, at least 1
     * @param maxBytes    how many encoded bytes may be buffered, at least 1
     * @return the bound
     */
    public static QueueBound of(long maxMessages, long maxBytes) {
        if (maxMessages < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("queue bound must be at least 1 message and 1 byte: " + maxMessages
                    + " messages, " + maxBytes + " bytes");
        }
        return new QueueBound(maxMessages, maxBytes);
    }

    /**
     * The backend's default bound.
     *
     * @return the bound
     */
    public static QueueBound defaults() {
        return new QueueBound(0, 0);
    }

    /** Whether this is {@link #defaults()}. */
    public boolean isDefault() {
        return maxMessages == 0;
    }
}
