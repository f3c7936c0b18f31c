package dev.procsync;

import java.io.Serial;

/**
 * Thrown when a namespace root, namespace directory or segment file fails procsync's trust rule:
 * it is a symbolic link, not the expected type, owned by another user (and not by the group the
 * namespace was opened to share with), or its mode grants more than the namespace asked for.
 * Nothing is opened, created, followed or deleted through such a path. The message names the path
 * and what is wrong with it; it never quotes the file's contents.
 */
public class UntrustedFileException extends ProcsyncException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the path and what is wrong with it
     */
    public UntrustedFileException(String message) {
        super(message);
    }
}
