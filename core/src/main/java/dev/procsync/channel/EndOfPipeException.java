package dev.procsync.channel;

import dev.procsync.ProcsyncException;
import java.io.Serial;

/**
 * Thrown by a receiving {@link Connection} when the peer end has been closed or its process has died
 * and every message it sent has been received (Python's {@code EOFError}); also when the peer stopped in
 * the middle of a message, whose partial bytes are then discarded. Unchecked: every later receive
 * throws it again, so a reader loop ends with it.
 */
public class EndOfPipeException extends ProcsyncException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the pipe and end
     */
    public EndOfPipeException(String message) {
        super(message);
    }
}
