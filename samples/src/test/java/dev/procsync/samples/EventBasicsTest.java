package dev.procsync.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procsync.testing.TempRoot;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventBasicsTest {
    @Test
    void shouldTimeOutTheTimedWaiterAndReleaseTheBlockingOneWhenSet() throws Exception {
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("event", root.path())) {
            EventBasics.Result r = EventBasics.run(sample, Duration.ofMillis(200));
            assertEquals(0, r.timedSawSet(), "the timed waiter gave up before the event was set");
            assertEquals(1, r.blockingSawSet(), "the blocking waiter went on once the event was set");
        }
    }
}
