package dev.procsync.layout;

/**
 * Semaphore (kind 3) and BoundedSemaphore (kind 4); param 0 = initial permits (the bound of a
 * BoundedSemaphore). The whole state is one 64-bit word, every read-modify-write a 64-bit atomic:
 *
 * <pre>
 *  offset  size  field
 *  128     8     state     u64: low half permits (the futex word), high half sleepers
 *  128     4     permits   the futex word (low half)
 *  132     4     sleepers  high half: bits 0-15 single-permit sleepers, bits 16-31 sleepers for
 *                          several permits (a release that sees any wakes every sleeper)
 * </pre>
 */
public final class SemaphoreLayout {
    /** Kind code of a Semaphore. */
    public static final int KIND = 3;
    /** Kind code of a BoundedSemaphore. */
    public static final int BOUNDED_KIND = 4;
    /** Layout version. */
    public static final int VERSION = 1;
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

    /** The table. */
    public static final LayoutDescriptor DESCRIPTOR = LayoutDescriptor.builder("SEMAPHORE", "Semaphore", KIND)
            .version(VERSION)
            .field("permits", PERMITS_OFFSET, 4, "low half of the u64 state at 128: available permits, the futex word")
            .field("sleepers", SLEEPERS_OFFSET, 4, "high half: bits 0–15 single-permit sleepers, bits 16–31 "
                    + "sleepers for several permits (a release that sees any of those wakes every sleeper)")
            .constant("BOUNDED_KIND", BOUNDED_KIND, "kind code of a BoundedSemaphore (same layout)")
            .constant("ONE_SLEEPER", ONE_SLEEPER, "added to the u64 state to register a single-permit sleeper")
            .constant("ONE_MULTI_SLEEPER", ONE_MULTI_SLEEPER,
                    "added to the u64 state to register a sleeper for n > 1 permits")
            .build(HeaderLayout.LENGTH + BODY_LENGTH);

    private SemaphoreLayout() {
    }
}
