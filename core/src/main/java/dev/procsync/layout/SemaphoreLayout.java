package dev.procsync.layout;

/**
 * Semaphore (kind 3) and BoundedSemaphore (kind 4); param 0 = initial permits (the bound of a
 * BoundedSemaphore), param 1 = undo-on-death slots (0 in the plain mode). The plain state is one
 * 64-bit word, every read-modify-write a 64-bit atomic:
 *
 * <pre>
 *  offset  size  field
 *  128     8     state     u64: low half permits (the futex word), high half sleepers
 *  128     4     permits   the futex word (low half)
 *  132     4     sleepers  high half: bits 0-15 single-permit sleepers, bits 16-31 sleepers for
 *                          several permits (a release that sees any wakes every sleeper)
 * </pre>
 *
 * A semaphore created in the undo-on-death mode ({@link #UNDO}, layout version {@value #UNDO_VERSION},
 * so that a reader that knows only version 1 refuses it instead of ignoring the ledger) adds a
 * ledger of who holds how many permits, changed only under the robust <em>book</em> word and
 * journalled so that a holder killed anywhere in its update can be repaired:
 *
 * <pre>
 *  offset     size  field
 *  136        4     book         futex word: holder pid (bits 0-21) | SLEEPERS (bit 30); 0 = free
 *  140        4     orphans      permits returned from dead holders, not yet acquired again
 *  144        8     bookStart    book holder's start time, stored right after the acquiring CAS
 *  152        8     recovered    u64: permits ever returned from dead holders
 *  160        4     journal      0 = empty, else slot index + 1 of the update in progress
 *  164        4     jHeld        before-images of that update: the slot's held,
 *  168        4     jInherited     its inherited,
 *  172        4     jPermits       permits (low half of the state),
 *  176        4     jOrphans       orphans,
 *  180        4     jPid           the slot's pid,
 *  184        8     jRecovered     recovered
 *  192 + 32i  4     pid          slot i: holder pid, 0 = free (written after start, release)
 *  196 + 32i  4     held         permits the holder holds
 *  200 + 32i  8     start        the holder's start time
 *  208 + 32i  4     inherited    of those, permits that a dead holder had held
 *  212 + 32i  12    reserved
 * </pre>
 */
public final class SemaphoreLayout {
    /** Kind code of a Semaphore. */
    public static final int KIND = 3;
    /** Kind code of a BoundedSemaphore. */
    public static final int BOUNDED_KIND = 4;
    /** Layout version of a plain semaphore. */
    public static final int VERSION = 1;
    /** Layout version of a semaphore in the undo-on-death mode (the ledger below the state). */
    public static final int UNDO_VERSION = 2;
    /** Header parameter holding the initial permits. */
    public static final int PARAM_PERMITS = 0;
    /** Header parameter holding the undo-on-death slot count; 0 = plain mode. */
    public static final int PARAM_UNDO_SLOTS = 1;
    /** The 64-bit state word. */
    public static final int STATE_OFFSET = HeaderLayout.LENGTH;
    /** Its low half, the futex word: available permits. */
    public static final int PERMITS_OFFSET = STATE_OFFSET;
    /** Its high half: registered sleepers. */
    public static final int SLEEPERS_OFFSET = STATE_OFFSET + 4;
    /** Body bytes after the header. */
    public static final int BODY_LENGTH = 8;
    /** One single-permit sleeper, added to the 64-bit state (bits 32-47 count them). */
    public static final long ONE_SLEEPER = 1L << 32;
    /** One sleeper for several permits ({@code acquire(n)}), added to the 64-bit state (bits 48-63). */
    public static final long ONE_MULTI_SLEEPER = 1L << 48;

    /** Undo mode: the book word, a robust lock word guarding the ledger (a futex word). */
    public static final int BOOK_OFFSET = STATE_OFFSET + 8;
    /** Undo mode: permits returned from dead holders and not yet acquired again. */
    public static final int ORPHANS_OFFSET = BOOK_OFFSET + 4;
    /** Undo mode: the book holder's start time. */
    public static final int BOOK_START_OFFSET = ORPHANS_OFFSET + 4;
    /** Undo mode: permits ever returned from dead holders (u64). */
    public static final int RECOVERED_OFFSET = BOOK_START_OFFSET + 8;
    /** Undo mode: the journal word; 0 = empty, else slot index + 1. */
    public static final int JOURNAL_OFFSET = RECOVERED_OFFSET + 8;
    /** Undo mode: before-image of the slot's held count. */
    public static final int J_HELD_OFFSET = JOURNAL_OFFSET + 4;
    /** Undo mode: before-image of the slot's inherited count. */
    public static final int J_INHERITED_OFFSET = J_HELD_OFFSET + 4;
    /** Undo mode: before-image of the permit count. */
    public static final int J_PERMITS_OFFSET = J_INHERITED_OFFSET + 4;
    /** Undo mode: before-image of orphans. */
    public static final int J_ORPHANS_OFFSET = J_PERMITS_OFFSET + 4;
    /** Undo mode: before-image of the slot's pid. */
    public static final int J_PID_OFFSET = J_ORPHANS_OFFSET + 4;
    /** Undo mode: before-image of recovered (u64). */
    public static final int J_RECOVERED_OFFSET = J_PID_OFFSET + 4;
    /** Undo mode: slot 0, on the second cache line of the body. */
    public static final int SLOTS_OFFSET = HeaderLayout.LENGTH + 64;
    /** Undo mode: bytes per slot. */
    public static final int SLOT_LENGTH = 32;
    /** Slot field: holder pid, 0 = free. */
    public static final int SLOT_PID = 0;
    /** Slot field: permits held. */
    public static final int SLOT_HELD = 4;
    /** Slot field: holder start time. */
    public static final int SLOT_START = 8;
    /** Slot field: held permits inherited from a dead holder. */
    public static final int SLOT_INHERITED = 16;
    /** Undo mode: the most slots a semaphore may have. */
    public static final int MAX_UNDO_SLOTS = 4096;
    /** Undo mode: the slots {@code undoOnDeath()} reserves unless told otherwise. */
    public static final int DEFAULT_UNDO_SLOTS = 64;
    /** Book word bits holding the holder's pid (as a Lock word). */
    public static final int BOOK_PID_MASK = LockLayout.PID_MASK;
    /** Book word bit: a thread may sleep on the book, the release must wake one. */
    public static final int BOOK_SLEEPERS = LockLayout.SLEEPERS;

    /** The table of the plain mode. */
    public static final LayoutDescriptor DESCRIPTOR = LayoutDescriptor.builder("SEMAPHORE", "Semaphore", KIND)
            .version(VERSION)
            .field("permits", PERMITS_OFFSET, 4, "low half of the u64 state at 128: available permits, the futex word")
            .field("sleepers", SLEEPERS_OFFSET, 4, "high half: bits 0–15 single-permit sleepers, bits 16–31 "
                    + "sleepers for several permits (a release that sees any of those wakes every sleeper)")
            .constant("BOUNDED_KIND", BOUNDED_KIND, "kind code of a BoundedSemaphore (same layout)")
            .constant("PARAM_UNDO_SLOTS", PARAM_UNDO_SLOTS, "header param 1: 0 in this mode")
            .constant("ONE_SLEEPER", ONE_SLEEPER, "added to the u64 state to register a single-permit sleeper")
            .constant("ONE_MULTI_SLEEPER", ONE_MULTI_SLEEPER,
                    "added to the u64 state to register a sleeper for n > 1 permits")
            .build(HeaderLayout.LENGTH + BODY_LENGTH);

    /** The table of the undo-on-death mode: the plain state word, then the ledger. */
    public static final LayoutDescriptor UNDO = LayoutDescriptor.builder("SEMAPHORE", "Semaphore (undo on death)", KIND)
            .version(UNDO_VERSION)
            .field("permits", PERMITS_OFFSET, 4, "as in the plain mode; changed only by the book's holder")
            .field("sleepers", SLEEPERS_OFFSET, 4, "as in the plain mode (changed without the book)")
            .field("book", BOOK_OFFSET, 4, "futex word: holder pid (bits 0–21) \\| `BOOK_SLEEPERS`; 0 = free")
            .field("orphans", ORPHANS_OFFSET, 4, "permits returned from dead holders, not yet acquired again")
            .field("bookStart", BOOK_START_OFFSET, 8, "the book holder's start time, stored right after its CAS")
            .field("recovered", RECOVERED_OFFSET, 8, "u64: permits ever returned from dead holders")
            .field("journal", JOURNAL_OFFSET, 4, "0 = empty; else slot index + 1 of the update in progress "
                    + "(release store after the before-images; cleared before the book is freed)")
            .field("jHeld", J_HELD_OFFSET, 4, "before-image: the slot's held")
            .field("jInherited", J_INHERITED_OFFSET, 4, "before-image: the slot's inherited")
            .field("jPermits", J_PERMITS_OFFSET, 4, "before-image: permits")
            .field("jOrphans", J_ORPHANS_OFFSET, 4, "before-image: orphans")
            .field("jPid", J_PID_OFFSET, 4, "before-image: the slot's pid")
            .field("jRecovered", J_RECOVERED_OFFSET, 8, "before-image: recovered")
            .slot("pid", SLOTS_OFFSET + SLOT_PID, 4, SLOT_LENGTH, LayoutDescriptor.VARIABLE,
                    "slot i (i < param 1): holder pid, 0 = free; written after start (release)")
            .slot("held", SLOTS_OFFSET + SLOT_HELD, 4, SLOT_LENGTH, LayoutDescriptor.VARIABLE, "permits it holds")
            .slot("start", SLOTS_OFFSET + SLOT_START, 8, SLOT_LENGTH, LayoutDescriptor.VARIABLE,
                    "the holder's start time")
            .slot("inherited", SLOTS_OFFSET + SLOT_INHERITED, 4, SLOT_LENGTH, LayoutDescriptor.VARIABLE,
                    "of the held permits, those a dead holder had held (owner-death report)")
            .slot("reserved", SLOTS_OFFSET + SLOT_INHERITED + 4, 12, SLOT_LENGTH, LayoutDescriptor.VARIABLE, "0")
            .constant("UNDO_VERSION", UNDO_VERSION, "layout version of this mode: version-1 readers refuse it")
            .constant("MAX_UNDO_SLOTS", MAX_UNDO_SLOTS, "most slots (param 1)")
            .constant("BOOK_SLEEPERS", BOOK_SLEEPERS, "book bit 30: a thread may sleep on the book")
            .build(LayoutDescriptor.VARIABLE);

    private SemaphoreLayout() {
    }

    /**
     * Body bytes of a semaphore.
     *
     * @param undoSlots 0 for the plain mode, else 1..{@link #MAX_UNDO_SLOTS}
     * @return the body length
     */
    public static int bodyLength(int undoSlots) {
        return undoSlots == 0 ? BODY_LENGTH : SLOTS_OFFSET - HeaderLayout.LENGTH + undoSlots * SLOT_LENGTH;
    }

    /**
     * The layout version of a semaphore.
     *
     * @param undoSlots 0 for the plain mode
     * @return {@link #VERSION} or {@link #UNDO_VERSION}
     */
    public static int version(int undoSlots) {
        return undoSlots == 0 ? VERSION : UNDO_VERSION;
    }
}
