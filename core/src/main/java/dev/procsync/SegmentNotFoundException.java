package dev.procsync;

import java.io.Serial;

/**
 * Thrown by an attach-only open when the name does not exist.
 */
public class SegmentNotFoundException extends ProcsyncException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the object
     */
    public SegmentNotFoundException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what was wrong, naming the object
     * @param cause   the underlying failure
     */
    public SegmentNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
