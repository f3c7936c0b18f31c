package dev.procsync.reactive.conformance;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * How the suites block for a value a publisher owes them: {@link Mono#block(Duration)} answers
 * {@code null} for a Mono that completed empty, and a suite that expected a permit or a count
 * should fail there, saying what was missing, not with a bare NullPointerException lines later.
 */
final class Await {

    private Await() {
    }

    /**
     * Blocks for the value of {@code mono}, at most {@code wait}.
     *
     * @throws AssertionError if the Mono completed empty
     */
    static <T> T value(Mono<T> mono, Duration wait, String what) {
        T value = mono.block(wait);
        if (value == null) {
            throw new AssertionError(what + ": the Mono completed empty where a value was due");
        }
        return value;
    }
}
