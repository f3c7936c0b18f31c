package dev.procsync.channel;

import dev.procsync.ProcsyncException;
import java.io.Serial;

/**
 * Thrown by a sending {@link Connection} when the receiving end has been closed or its process has
 * died (Python's {@code BrokenPipeError}). A send to a reader that died is detected once the ring
 * is full, within one sleep slice; a send to a reader that closed is detected at once.
 */
public class BrokenPipeException extends ProcsyncException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the pipe and end
     */
    public BrokenPipeException(String message) {
        super(message);
    }
}
