package dev.procsync;

import java.io.Serial;

/**
 * Thrown when something is given back more often than it was taken: a {@code Lock} released while
 * free, a {@code BoundedSemaphore} released past its bound, a {@code Semaphore} past
 * {@code MAX_PERMITS}, {@code JoinableQueue.taskDone()} called more often than items were put
 * (Python raises {@code ValueError} for each). Nothing changes when it is thrown.
 *
 * <p>Like every {@link ProcsyncException} it is an {@link IllegalStateException}, which these
 * methods threw before it existed, so existing {@code catch} clauses keep working.
 */
public class OverReleaseException extends ProcsyncException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the object
     */
    public OverReleaseException(String message) {
        super(message);
    }
}
