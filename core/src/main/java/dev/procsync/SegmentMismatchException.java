package dev.procsync;

import java.io.Serial;

/**
 * Thrown when a name is opened as another kind, or with other parameters, than the segment it names
 * was created with.
 */
public class SegmentMismatchException extends ProcsyncException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the object
     */
    public SegmentMismatchException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what was wrong, naming the object
     * @param cause   the underlying failure
     */
    public SegmentMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
