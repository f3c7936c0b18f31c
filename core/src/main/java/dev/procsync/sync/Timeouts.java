package dev.procsync.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Timeout arguments: validated once, then carried as a monotonic deadline in nanoseconds. */
final class Timeouts {
    /** A deadline meaning "never". */
    static final long NONE = Long.MAX_VALUE;

    private Timeouts() {
    }

    /**
     * Converts a timeout to nanoseconds.
     *
     * @throws IllegalArgumentException for a negative timeout, naming the primitive
     */
    static long nanos(Duration timeout, String what) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout for " + what + ": " + timeout);
        }
        return saturatedNanos(timeout);
    }

    static long nanos(long timeout, TimeUnit unit, String what) {
        Objects.requireNonNull(unit, "unit");
        if (timeout < 0) {
            throw new IllegalArgumentException("negative timeout for " + what + ": " + timeout + " " + unit);
        }
        return unit.toNanos(timeout);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** A deadline on {@link System#nanoTime()} for a timeout in nanoseconds (saturating). */
    static long deadline(long timeoutNanos) {
        if (timeoutNanos == Long.MAX_VALUE) {
            return NONE;
        }
        long now = System.nanoTime();
        long deadline = now + timeoutNanos;
        return deadline - now < 0 ? NONE : deadline;
    }

    /** Nanoseconds left before {@code deadline}; may be zero or negative. */
    static long remaining(long deadline) {
        return deadline == NONE ? Long.MAX_VALUE : deadline - System.nanoTime();
    }
}
