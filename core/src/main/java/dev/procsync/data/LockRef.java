package dev.procsync.data;

import dev.procsync.segment.SegmentDirectory;
import dev.procsync.sync.Mutex;
import dev.procsync.sync.RLock;
import org.jspecify.annotations.Nullable;

/**
 * The lock associated with a shared value or array: either one the caller shares (a Lock or an
 * RLock), or this handle's own {@link RLock}, the segment {@code <name>~lock} (Python's default for
 * {@code Value} and {@code Array}), opened on first use and closed with the handle.
 */
final class LockRef {
    private final SegmentDirectory ns;
    private final String owner;
    private final @Nullable Mutex shared;
    private @Nullable Mutex own;

    LockRef(SegmentDirectory ns, String name, @Nullable Mutex shared) {
        this.ns = ns;
        this.owner = name;
        this.shared = shared;
    }

    synchronized Mutex get() {
        if (shared != null) {
            return shared;
        }
        if (own == null) {
            own = RLock.openDefaultLockOf(ns, owner);
        }
        return own;
    }

    synchronized void close() {
        if (own != null) {
            own.close();
        }
    }
}
