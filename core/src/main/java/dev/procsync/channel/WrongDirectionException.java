package dev.procsync.channel;

import dev.procsync.ProcsyncException;
import java.io.Serial;

/**
 * Thrown when an end of a one-way {@link Pipe} is used against its direction: a receive on the
 * write-only end or a send on the read-only end (Python raises {@code OSError} on the raw handle).
 * A closed end says {@link dev.procsync.ClosedException} instead: closed-ness is checked first.
 */
public class WrongDirectionException extends ProcsyncException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the object
     */
    public WrongDirectionException(String message) {
        super(message);
    }
}
