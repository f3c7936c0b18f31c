package dev.procsync.layout;

/**
 * Event (kind 5, no parameters): one 64-bit state word, every read-modify-write a 64-bit atomic.
 *
 * <pre>
 *  offset  size  field
 *  128     4     flag word   the futex word: bit 0 FLAG (raised), bits 1-31 a raise count
 *  132     4     waiters     threads registered to sleep (high half of the u64 at 128)
 * </pre>
 */
public final class EventLayout {
    /** Kind code. */
    public static final int KIND = 5;
    /** Layout version. */
    public static final int VERSION = 1;
    /** The 64-bit state word. */
    public static final int STATE_OFFSET = HeaderLayout.LENGTH;
    /** Its low half, the futex word. */
    public static final int FLAG_WORD_OFFSET = STATE_OFFSET;
    /** Its high half: registered waiters. */
    public static final int WAITERS_OFFSET = STATE_OFFSET + 4;
    /** Body bytes after the header. */
    public static final int BODY_LENGTH = 8;
    /** Flag word bit 0: raised. */
    public static final int FLAG = 1;
    /** One waiter, added to the 64-bit state. */
    public static final long ONE_WAITER = 1L << 32;

    /** The table. */
    public static final LayoutDescriptor DESCRIPTOR = LayoutDescriptor.builder("EVENT", "Event", KIND)
            .version(VERSION)
            .field("flagWord", FLAG_WORD_OFFSET, 4,
                    "low half of the u64 state at 128, the futex word: bit 0 `FLAG`, bits 1–31 a raise count")
            .field("waiters", WAITERS_OFFSET, 4, "high half: threads registered to sleep")
            .constant("FLAG", FLAG, "flag word bit 0: raised")
            .constant("ONE_WAITER", ONE_WAITER, "added to the u64 state to register a waiter")
            .build(HeaderLayout.LENGTH + BODY_LENGTH);

    private EventLayout() {
    }
}
