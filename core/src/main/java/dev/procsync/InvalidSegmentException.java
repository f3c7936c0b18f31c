package dev.procsync;

import java.io.Serial;

/**
 * Thrown when a segment file is not a usable procsync segment: truncated, zero-length, foreign magic,
 * a newer layout version, a length that disagrees with the file, or never published as ready. The
 * message names the file and the problem.
 */
public class InvalidSegmentException extends ProcsyncException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the object
     */
    public InvalidSegmentException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what was wrong, naming the object
     * @param cause   the underlying failure
     */
    public InvalidSegmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
