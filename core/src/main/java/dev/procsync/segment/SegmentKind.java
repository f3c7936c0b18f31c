package dev.procsync.segment;

import dev.procsync.layout.ArrayLayout;
import dev.procsync.layout.BarrierLayout;
import dev.procsync.layout.ConditionLayout;
import dev.procsync.layout.EventLayout;
import dev.procsync.layout.Layouts;
import dev.procsync.layout.LockLayout;
import dev.procsync.layout.PipeLayout;
import dev.procsync.layout.QueueLayout;
import dev.procsync.layout.RLockLayout;
import dev.procsync.layout.SemaphoreLayout;
import dev.procsync.layout.SharedMemoryLayout;
import dev.procsync.layout.ValueLayout;

/**
 * What a segment holds, stored as a 32-bit code in its header so that opening a name as another
 * kind is detected. Codes are part of the on-disk layout, defined by each kind's descriptor in
 * {@code dev.procsync.layout}: never renumber.
 */
public enum SegmentKind {
    /** A non-reentrant lock. */
    LOCK(LockLayout.KIND),
    /** A reentrant lock owned by a process and thread. */
    RLOCK(RLockLayout.KIND),
    /** A counting semaphore. */
    SEMAPHORE(SemaphoreLayout.KIND),
    /** A counting semaphore that rejects release past its initial value. */
    BOUNDED_SEMAPHORE(SemaphoreLayout.BOUNDED_KIND),
    /** A level-triggered flag. */
    EVENT(EventLayout.KIND),
    /** A condition variable bound to a lock. */
    CONDITION(ConditionLayout.KIND),
    /** A cyclic barrier. */
    BARRIER(BarrierLayout.KIND),
    /** A typed shared value. */
    VALUE(ValueLayout.KIND),
    /** A typed shared array. */
    ARRAY(ArrayLayout.KIND),
    /** A raw shared block. */
    SHARED_MEMORY(SharedMemoryLayout.KIND),
    /** A bounded multi-producer multi-consumer queue. */
    QUEUE(QueueLayout.KIND),
    /** A queue with task accounting. */
    JOINABLE_QUEUE(QueueLayout.JOINABLE_KIND),
    /** The minimal queue. */
    SIMPLE_QUEUE(QueueLayout.SIMPLE_KIND),
    /** A pair of connections. */
    PIPE(PipeLayout.KIND);

    private final int code;

    SegmentKind(int code) {
        this.code = code;
    }

    /** The code stored in the header. */
    public int code() {
        return code;
    }

    /**
     * The layout version of this kind that this build writes and reads (from the kind's descriptor
     * in {@code dev.procsync.layout}); a file with another version is refused.
     */
    public int layoutVersion() {
        return Layouts.versionOf(code);
    }

    /**
     * Whether this build reads a file of this kind written with the given layout version (the
     * semaphores have two: the plain mode's and the undo-on-death mode's).
     *
     * @param version a header's layout version
     * @return whether it is read
     */
    public boolean readsLayoutVersion(int version) {
        return Layouts.reads(code, version);
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
