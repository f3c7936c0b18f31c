package dev.procsync.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BackpressuredStreamTest {
    @Test
    void shouldHoldTheFastProducerToTheQueueBoundAndLoseNothing() throws Exception {
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("backpressure", root.path())) {
            BackpressuredStream.Result r = BackpressuredStream.run(sample, 150, Duration.ofMillis(3));
            List<Long> expected = LongStream.range(0, 150).boxed().collect(Collectors.toList());
            assertEquals(expected, r.received(), "every item, once, in order");
            assertTrue(r.largestQueueSize() <= BackpressuredStream.CAPACITY, () -> "held " + r.largestQueueSize());
            // Capacity in the queue, plus at most a few in hand on each side (the consumer's one in
            // progress and prefetch, the producer's one being put).
            assertTrue(r.largestLead() <= BackpressuredStream.CAPACITY + 4,
                    () -> "the producer ran " + r.largestLead() + " items ahead of the consumer");
            assertTrue(r.largestLead() >= 1, "the producer did run ahead of the slow consumer");
        }
    }
}
