package dev.procsync.layout;

/**
 * RLock (kind 2, no parameters): the {@link LockLayout} word plus the owning thread and the hold
 * count.
 *
 * <pre>
 *  offset  size  field
 *  128     4     state       exactly the Lock word
 *  132     4     ownerDied   as Lock
 *  136     8     ownerStart  as Lock
 *  144     8     ownerKey    (pid &lt;&lt; 32) | (thread id &amp; 0xffffffff) of the owning thread; 0 while free
 *  152     4     count       hold count, written only by the owning thread
 *  156     4     reserved
 * </pre>
 */
public final class RLockLayout {
    /** Kind code. */
    public static final int KIND = 2;
    /** Layout version. */
    public static final int VERSION = 1;
    /** The futex word (the Lock word). */
    public static final int STATE_OFFSET = LockLayout.STATE_OFFSET;
    /** The ownerDied word. */
    public static final int OWNER_DIED_OFFSET = LockLayout.OWNER_DIED_OFFSET;
    /** The owner's start time. */
    public static final int OWNER_START_OFFSET = LockLayout.OWNER_START_OFFSET;
    /** The owning thread's key. */
    public static final int OWNER_KEY_OFFSET = OWNER_START_OFFSET + 8;
    /** The hold count. */
    public static final int COUNT_OFFSET = OWNER_KEY_OFFSET + 8;
    /** Body bytes after the header. */
    public static final int BODY_LENGTH = COUNT_OFFSET + 8 - HeaderLayout.LENGTH;

    /** The table. */
    public static final LayoutDescriptor DESCRIPTOR = LayoutDescriptor.builder("RLOCK", "RLock", KIND)
            .version(VERSION)
            .field("state", STATE_OFFSET, 4,
                "futex word, exactly the Lock word: bits 0–21 owner pid, bit 30 `SLEEPERS`")
            .field("ownerDied", OWNER_DIED_OFFSET, 4,
                "1 from a takeover from a dead owner until the next full `release()`")
            .field("ownerStart", OWNER_START_OFFSET, 8, "owner's process start time")
            .field("ownerKey", OWNER_KEY_OFFSET, 8,
                    "`(pid << 32) \\| (thread id & 0xffffffff)` of the owning thread; 0 while free")
            .field("count", COUNT_OFFSET, 4, "hold count, written only by the owning thread")
            .field("reserved", COUNT_OFFSET + 4, 4, "0")
            .constant("PID_MASK", LockLayout.PID_MASK, "state bits 0–21: the owner's pid")
            .constant("SLEEPERS", LockLayout.SLEEPERS, "state bit 30: a thread may sleep on the word")
            .build(HeaderLayout.LENGTH + BODY_LENGTH);

    private RLockLayout() {
    }
}
