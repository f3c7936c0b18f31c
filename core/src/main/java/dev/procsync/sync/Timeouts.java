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
     * Converts a timeout to nanoseconds: zero or negative means "do not wait" and becomes 0, as in
     * java.util.concurrent; a timeout too long for a {@code long} of nanoseconds saturates.
     *
     * @throws NullPointerException if {@code timeout} is null
     */
    static long nanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return timeout.isNegative() ? 0 : saturatedNanos(timeout);
    }

    /** As {@link #nanos(Duration)}, for a timeout in a unit. */
    static long nanos(long timeout, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        return timeout <= 0 ? 0 : unit.toNanos(timeout);
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
