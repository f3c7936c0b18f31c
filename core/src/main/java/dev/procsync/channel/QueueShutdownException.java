package dev.procsync.channel;

import dev.procsync.ClosedException;
import java.io.Serial;

/**
 * Thrown by a queue operation after some process called {@code shutdown()} on the queue: by every
 * put, and by a get once the queue holds no more messages. Unlike {@link ClosedException} for a
 * closed handle, shutdown is a state of the shared queue, seen by every process and handle.
 */
public class QueueShutdownException extends ClosedException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was refused, naming the queue
     */
    public QueueShutdownException(String message) {
        super(message);
    }
}
