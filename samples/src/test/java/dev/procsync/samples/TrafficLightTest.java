package dev.procsync.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procsync.testing.TempRoot;
import org.junit.jupiter.api.Test;

class TrafficLightTest {
    @Test
    void shouldLetEveryCarPassOnlyAfterTheLightTurnedGreen() throws Exception {
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("traffic-light", root.path())) {
            TrafficLight.Result r = TrafficLight.run(sample, 3);
            assertEquals(3, r.passed());
            assertEquals(0, r.passedOnRed());
        }
    }
}
