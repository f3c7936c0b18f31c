package dev.procsync.channel;

import java.time.Duration;
import java.util.Objects;

/** Timeout arguments of the channels: validated once, then carried as a monotonic deadline. */
final class Deadline {
    /** A deadline meaning "never". */
    static final long NONE = Long.MAX_VALUE;
    /** A deadline meaning "do not wait at all". */
    static final long NO_WAIT = Long.MIN_VALUE;

    private Deadline() {
    }

    /**
     * The deadline for a timeout.
     *
     * @param timeout the timeout; zero or negative means {@link #NO_WAIT}, as in java.util.concurrent
     * @param what    the object, for the message
     * @throws NullPointerException if {@code timeout} is null
     */
    static long of(Duration timeout, String what) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            return NO_WAIT;
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            return NONE;
        }
        long now = System.nanoTime();
        long deadline = now + nanos;
        return deadline - now < 0 || deadline == NONE || deadline == NO_WAIT ? NONE : deadline;
    }

    /** Nanoseconds left; zero or negative once passed. */
    static long remaining(long deadline) {
        if (deadline == NONE) {
            return Long.MAX_VALUE;
        }
        if (deadline == NO_WAIT) {
            return -1;
        }
        return deadline - System.nanoTime();
    }
}
