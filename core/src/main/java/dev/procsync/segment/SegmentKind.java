package dev.procsync.segment;

/**
 * What a segment holds, stored as a 32-bit code in its header so that opening a name as another
 * kind is detected. Codes are part of the on-disk layout (docs/LAYOUT.md): never renumber.
 */
public enum SegmentKind {
    /** A non-reentrant lock. */
    LOCK(1),
    /** A reentrant lock owned by a process and thread. */
    RLOCK(2),
    /** A counting semaphore. */
    SEMAPHORE(3),
    /** A counting semaphore that rejects release past its initial value. */
    BOUNDED_SEMAPHORE(4),
    /** A level-triggered flag. */
    EVENT(5),
    /** A condition variable bound to a lock. */
    CONDITION(6),
    /** A cyclic barrier. */
    BARRIER(7),
    /** A typed shared value. */
    VALUE(8),
    /** A typed shared array. */
    ARRAY(9),
    /** A raw shared block. */
    SHARED_MEMORY(10),
    /** A bounded multi-producer multi-consumer queue. */
    QUEUE(11),
    /** A queue with task accounting. */
    JOINABLE_QUEUE(12),
    /** The minimal queue. */
    SIMPLE_QUEUE(13),
    /** A pair of connections. */
    PIPE(14);

    private final int code;

    SegmentKind(int code) {
        this.code = code;
    }

    /** The code stored in the header. */
    public int code() {
        return code;
    }

    /**
     * The kind stored under a code.
     *
     * @param code a header's kind code
     * @return the kind, or {@code null} if the code is unknown (a foreign or newer file)
     */
    public static @org.jspecify.annotations.Nullable SegmentKind fromCode(int code) {
        for (SegmentKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}
