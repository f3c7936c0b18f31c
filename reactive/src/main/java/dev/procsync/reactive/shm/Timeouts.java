package dev.procsync.reactive.shm;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/** Timeout arguments of the reactive handles. */
final class Timeouts {
    private Timeouts() {
    }

    /**
     * Checks a timeout at the call (not at subscription): a negative one is a bug at the call site.
     *
     * @throws IllegalArgumentException naming the object and the value
     */
    static Duration check(Duration timeout, Supplier<String> what) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout for " + what.get() + ": " + timeout);
        }
        return timeout;
    }
}
