package dev.procsync.channel;

import dev.procsync.ProcsyncException;
import java.io.Serial;

/**
 * Thrown when a {@link Pipe} end cannot be opened because it is taken: already open in a live
 * process, closed before (an end opens once), or left by a process that died. {@link #reason()}
 * tells which; in the last two cases unlink the pipe to reuse its name.
 */
public class PipeEndUnavailableException extends ProcsyncException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Why the end is unavailable. */
    public enum Reason {
        /** Another live process has it open. */
        ALREADY_OPEN,
        /** It was closed; an end opens once. */
        CLOSED,
        /** The process that had it open died. */
        OWNER_DIED
    }

    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the pipe and end
     * @param reason  why the end is unavailable
     */
    public PipeEndUnavailableException(String message, Reason reason) {
        super(message);
        this.reason = reason;
    }

    /** Why the end is unavailable. @return the reason */
    public Reason reason() {
        return reason;
    }
}
