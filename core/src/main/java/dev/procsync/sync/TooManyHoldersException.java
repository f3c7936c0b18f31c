package dev.procsync.sync;

import dev.procsync.ProcsyncException;
import java.io.Serial;

/**
 * Thrown by an acquire on a semaphore in the {@link SemaphoreOptions#undoOnDeath() undo-on-death}
 * mode when permits are free but every holder slot is taken by a live process that holds permits
 * (the mode records at most {@link SemaphoreOptions#maxHolders()} holding processes at once).
 * Nothing changed: no permit was taken.
 */
public class TooManyHoldersException extends ProcsyncException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the object
     */
    public TooManyHoldersException(String message) {
        super(message);
    }
}
