package dev.procsync.layout;

/**
 * Condition (kind 6); param 0 = slots, param 1 = kind code of the paired lock, param 2 = Java
 * {@code String.hashCode()} of the paired lock's name.
 *
 * <pre>
 *  offset      size  field
 *  128         4     waiters     slots claimed and not yet freed
 *  132         4     nextTicket  incremented (atomic add) by every waiter
 *  136         56    reserved
 *  192 + 16i   4     slot word i (futex word): waiter pid (bits 0-21) | WAITING or NOTIFIED; 0 = free
 *  196 + 16i   4     ticket of the waiter in slot i
 *  200 + 16i   8     start time of the waiter's process
 * </pre>
 */
public final class ConditionLayout {
    /** Kind code. */
    public static final int KIND = 6;
    /** Layout version. */
    public static final int VERSION = 1;
    /** Waiter slots. */
    public static final int SLOTS = 128;
    /** Claimed slots. */
    public static final int WAITERS_OFFSET = HeaderLayout.LENGTH;
    /** The ticket counter. */
    public static final int TICKET_OFFSET = WAITERS_OFFSET + 4;
    /** Slot 0, on the second cache line of the body. */
    public static final int SLOTS_OFFSET = HeaderLayout.LENGTH + 64;
    /** Bytes per slot. */
    public static final int SLOT_LENGTH = 16;
    /** Slot word state: a waiter waits. */
    public static final int WAITING = 1 << 28;
    /** Slot word state: the waiter was signalled. */
    public static final int NOTIFIED = 2 << 28;
    /** Body bytes after the header. */
    public static final int BODY_LENGTH = SLOTS_OFFSET - HeaderLayout.LENGTH + SLOTS * SLOT_LENGTH;

    /** The table. */
    public static final LayoutDescriptor DESCRIPTOR = LayoutDescriptor.builder("CONDITION", "Condition", KIND)
            .version(VERSION)
            .field("waiters", WAITERS_OFFSET, 4, "slots claimed and not yet freed (0 lets a signal skip the scan)")
            .field("nextTicket", TICKET_OFFSET, 4, "incremented (atomic add) by every waiter; wraps")
            .field("reserved", TICKET_OFFSET + 4, SLOTS_OFFSET - TICKET_OFFSET - 4, "0")
            .slot("slotWord", SLOTS_OFFSET, 4, SLOT_LENGTH, SLOTS,
                    "futex word: waiter pid (bits 0–21) \\| `WAITING` or `NOTIFIED`; 0 = free")
            .slot("ticket", SLOTS_OFFSET + 4, 4, SLOT_LENGTH, SLOTS, "ticket of the waiter in the slot")
            .slot("start", SLOTS_OFFSET + 8, 8, SLOT_LENGTH, SLOTS, "start time of the waiter's process")
            .constant("SLOTS", SLOTS, "slots (param 0)")
            .constant("PID_MASK", LockLayout.PID_MASK, "slot word bits 0–21: the waiter's pid")
            .constant("WAITING", WAITING, "slot word state: waiting")
            .constant("NOTIFIED", NOTIFIED, "slot word state: signalled")
            .build(HeaderLayout.LENGTH + BODY_LENGTH);

    private ConditionLayout() {
    }
}
