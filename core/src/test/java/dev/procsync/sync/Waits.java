package dev.procsync.sync;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.IntSupplier;

/** Test handshakes on shared counters: poll a count until it reaches a value, with a bound. */
final class Waits {
    static final Duration BOUND = Duration.ofSeconds(30);

    private Waits() {
    }

    /** Waits (bounded) until {@code count} returns at least {@code atLeast}. */
    static void until(String what, IntSupplier count, int atLeast) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (count.getAsInt() < atLeast) {
            if (System.nanoTime() - deadline > 0) {
                fail(what + ": expected at least " + atLeast + " within " + BOUND + ", have " + count.getAsInt());
            }
            Thread.yield();
        }
    }
}
