package dev.procsync;

import java.io.Serial;

/**
 * Thrown by an exclusive create when the name already exists.
 */
public class SegmentExistsException extends ProcsyncException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the object
     */
    public SegmentExistsException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what was wrong, naming the object
     * @param cause   the underlying failure
     */
    public SegmentExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
