package dev.procsync.layout;

/**
 * Lock (kind 1, no parameters): the robust lock word that RLock and the queue's claim lock also use.
 *
 * <pre>
 *  offset  size  field
 *  128     4     state       futex word: holder pid (bits 0-21) | SLEEPERS (bit 30); 0 = free
 *  132     4     ownerDied   1 from a takeover from a dead holder until a release() clears it
 *  136     8     ownerStart  holder's start time, stored right after the acquiring CAS
 *  144           end (file rounded to one page)
 * </pre>
 * The state table and the transitions are in {@code dev.procsync.sync.Lock}'s block comment and in
 * docs/layout/foundation.md.
 */
public final class LockLayout {
    /** Kind code. */
    public static final int KIND = 1;
    /** Layout version. */
    public static final int VERSION = 1;
    /** The futex word. */
    public static final int STATE_OFFSET = HeaderLayout.LENGTH;
    /** The ownerDied word. */
    public static final int OWNER_DIED_OFFSET = STATE_OFFSET + 4;
    /** The holder's start time. */
    public static final int OWNER_START_OFFSET = OWNER_DIED_OFFSET + 4;
    /** Body bytes after the header. */
    public static final int BODY_LENGTH = OWNER_START_OFFSET + 8 - HeaderLayout.LENGTH;
    /** Bits of the state word holding the holder's pid. */
    public static final int PID_MASK = (1 << 22) - 1;
    /** State bit: a thread may sleep on the word, so a release must wake one. */
    public static final int SLEEPERS = 1 << 30;

    /** The table. */
    public static final LayoutDescriptor DESCRIPTOR = LayoutDescriptor.builder("LOCK", "Lock", KIND)
            .version(VERSION)
            .field("state", STATE_OFFSET, 4, "futex word: holder pid (bits 0–21) \\| `SLEEPERS`; 0 = free")
            .field("ownerDied", OWNER_DIED_OFFSET, 4,
                    "1 from a takeover from a dead holder until the next `release()`")
            .field("ownerStart", OWNER_START_OFFSET, 8,
                "the holder's start time, stored (release) right after the acquiring CAS")
            .constant("PID_MASK", PID_MASK, "state bits 0–21: the holder's pid")
            .constant("SLEEPERS", SLEEPERS, "state bit 30: a thread may sleep on the word")
            .build(HeaderLayout.LENGTH + BODY_LENGTH);

    private LockLayout() {
    }
}
