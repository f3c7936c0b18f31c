package dev.procsync.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.testing.TempRoot;
import org.junit.jupiter.api.Test;

class CounterRaceTest {
    @Test
    void shouldLoseNoIncrementUnderTheLock() throws Exception {
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("counter", root.path())) {
            CounterRace.Result r = CounterRace.run(sample, 3, 100_000);
            assertEquals(300_000, r.expected());
            assertEquals(r.expected(), r.withLock(), "increments lost although every one was made under the lock");
            // Without the lock updates may be lost, but never invented.
            assertTrue(r.withoutLock() > 0 && r.withoutLock() <= r.expected(), () -> "racy total " + r.withoutLock());
        }
    }
}
