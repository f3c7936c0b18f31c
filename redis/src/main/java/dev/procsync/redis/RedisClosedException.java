package dev.procsync.redis;

import java.io.Serial;

/** Thrown when a Redis-backed handle is used after {@code close()}, or was closed while a wait on it was pending. */
public class RedisClosedException extends IllegalStateException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was closed
     */
    public RedisClosedException(String message) {
        super(message);
    }
}
