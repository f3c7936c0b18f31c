package dev.procsync.sync;

import dev.procsync.layout.SemaphoreLayout;

/**
 * How a {@link Semaphore} or {@link BoundedSemaphore} accounts for its permits, fixed when the
 * semaphore is created and stored in its segment: every later open must ask for the same (else
 * {@link dev.procsync.SegmentMismatchException} naming both).
 *
 * <ul>
 *   <li>{@link #plain()} (the default): permits are not owned, as in Python and
 *       {@code java.util.concurrent}; a permit held by a process that dies is lost.</li>
 *   <li>{@link #undoOnDeath()}: SysV's {@code SEM_UNDO}. The segment records how many permits
 *       each process holds, and the permits of a process that dies are given back (see
 *       {@link Semaphore}, "Undo on death"). A permit belongs to the process that acquired it:
 *       only that process may release it. At most {@link #maxHolders()} processes hold permits at
 *       once; an acquire by one more fails with {@link TooManyHoldersException}.</li>
 * </ul>
 *
 * @param undoSlots 0 for the plain mode, else the most processes that hold permits at once,
 *                  1..{@value SemaphoreLayout#MAX_UNDO_SLOTS}
 */
public record SemaphoreOptions(int undoSlots) {
    private static final SemaphoreOptions PLAIN = new SemaphoreOptions(0);
    private static final SemaphoreOptions UNDO = new SemaphoreOptions(SemaphoreLayout.DEFAULT_UNDO_SLOTS);

    /**
     * Validates the slot count.
     *
     * @param undoSlots 0, or 1..{@value SemaphoreLayout#MAX_UNDO_SLOTS}
     */
    public SemaphoreOptions {
        if (undoSlots < 0 || undoSlots > SemaphoreLayout.MAX_UNDO_SLOTS) {
            throw new IllegalArgumentException("undo-on-death holders must be 1.." + SemaphoreLayout.MAX_UNDO_SLOTS
                    + " (or 0 for the plain mode): " + undoSlots);
        }
    }

    /** The plain mode: permits are not owned, a dead holder's permits are lost. @return the options */
    public static SemaphoreOptions plain() {
        return PLAIN;
    }

    /**
     * The undo-on-death mode with room for {@value SemaphoreLayout#DEFAULT_UNDO_SLOTS} processes
     * holding permits at once.
     *
     * @return the options
     */
    public static SemaphoreOptions undoOnDeath() {
        return UNDO;
    }

    /**
     * The undo-on-death mode with room for {@code maxHolders} processes holding permits at once
     * (32 bytes of the segment each).
     *
     * @param maxHolders 1..{@value SemaphoreLayout#MAX_UNDO_SLOTS}
     * @return the options
     * @throws IllegalArgumentException if {@code maxHolders} is out of range
     */
    public static SemaphoreOptions undoOnDeath(int maxHolders) {
        if (maxHolders < 1) {
            throw new IllegalArgumentException("undo-on-death holders must be 1.." + SemaphoreLayout.MAX_UNDO_SLOTS
                    + ": " + maxHolders);
        }
        return new SemaphoreOptions(maxHolders);
    }

    /** Whether a dead process's permits are given back. @return whether this is the undo mode */
    public boolean isUndoOnDeath() {
        return undoSlots != 0;
    }

    /** The most processes that may hold permits at once; 0 in the plain mode (no limit). @return the count */
    public int maxHolders() {
        return undoSlots;
    }

    @Override
    public String toString() {
        return undoSlots == 0 ? "plain" : "undoOnDeath(" + undoSlots + ")";
    }
}
