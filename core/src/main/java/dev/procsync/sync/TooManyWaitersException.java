package dev.procsync.sync;

import dev.procsync.ProcsyncException;
import java.io.Serial;

/**
 * Thrown by {@link Condition#await()} and its variants when every waiter slot of the condition
 * ({@value Condition#SLOTS}) is taken by a live waiter. Nothing changed: the lock is still held.
 */
public class TooManyWaitersException extends ProcsyncException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the object
     */
    public TooManyWaitersException(String message) {
        super(message);
    }
}
