package dev.procsync.data;

import dev.procsync.Namespace;
import dev.procsync.sync.Lock;
import org.jspecify.annotations.Nullable;

/**
 * The lock associated with a shared value or array: either one the caller shares, or this
 * handle's own {@code <name>.lock}, opened on first use and closed with the handle.
 */
final class LockRef {
    private final Namespace ns;
    private final String lockName;
    private final @Nullable Lock shared;
    private @Nullable Lock own;

    LockRef(Namespace ns, String name, @Nullable Lock shared) {
        this.ns = ns;
        this.lockName = name + ".lock";
        this.shared = shared;
    }

    synchronized Lock get() {
        if (shared != null) {
            return shared;
        }
        if (own == null) {
            own = Lock.open(ns, lockName);
        }
        return own;
    }

    synchronized void close() {
        if (own != null) {
            own.close();
        }
    }
}
