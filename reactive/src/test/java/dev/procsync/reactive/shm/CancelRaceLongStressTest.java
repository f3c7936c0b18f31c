package dev.procsync.reactive.shm;

import org.junit.jupiter.api.Tag;

/** {@link CancelRaceStressTest} with a million cancel races per operation (tag {@code long}, minutes). */
@Tag("long")
class CancelRaceLongStressTest extends CancelRaceStressTest {
    @Override
    protected int races() {
        return 1_000_000;
    }
}
