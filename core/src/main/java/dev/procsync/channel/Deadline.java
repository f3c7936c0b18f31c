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
     * @param timeout the timeout; zero means {@link #NO_WAIT}
     * @param what    the object, for the message
     * @throws IllegalArgumentException for a negative timeout, naming the object
     */
    static long of(Duration timeout, String what) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout for " + what + ": " + timeout);
        }
        if (timeout.isZero()) {
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
