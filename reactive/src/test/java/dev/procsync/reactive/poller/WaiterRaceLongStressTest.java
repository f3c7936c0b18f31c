package dev.procsync.reactive.poller;

import org.junit.jupiter.api.Tag;

/** {@link WaiterRaceStressTest} with a million races per pair of transitions (tag {@code long}, minutes). */
@Tag("long")
class WaiterRaceLongStressTest extends WaiterRaceStressTest {
    @Override
    protected int rounds() {
        return 1_000_000;
    }
}
