package dev.procsync;

import java.io.Serial;

/**
 * Thrown when a primitive, segment or namespace is used after {@code close()}, including by a thread
 * that was waiting inside it when another thread closed it.
 */
public class ClosedException extends ProcsyncException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the object
     */
    public ClosedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what was wrong, naming the object
     * @param cause   the underlying failure
     */
    public ClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
