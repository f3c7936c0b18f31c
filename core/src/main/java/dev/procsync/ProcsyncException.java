package dev.procsync;

import java.io.Serial;

/**
 * The root of every exception procsync throws for a broken invariant, a bad file or an operating-
 * system failure.
 */
public class ProcsyncException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the object
     */
    public ProcsyncException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what was wrong, naming the object
     * @param cause   the underlying failure
     */
    public ProcsyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
