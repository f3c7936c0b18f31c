package dev.procsync.reactive.shm;

import java.time.Duration;
import java.util.Objects;

/** Timeout arguments of the reactive handles. */
final class Timeouts {
    private Timeouts() {
    }

    /**
     * Checks a timeout at the call (not at subscription). Zero or negative means "do not wait", as
     * in java.util.concurrent and core: a negative timeout becomes {@link Duration#ZERO}.
     *
     * @throws NullPointerException if {@code timeout} is null
     */
    static Duration check(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return timeout.isNegative() ? Duration.ZERO : timeout;
    }
}
