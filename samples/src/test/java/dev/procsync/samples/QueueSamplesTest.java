package dev.procsync.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.testing.TempRoot;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueSamplesTest {
    @Test
    void shouldCarryMessagesBothWaysBetweenParentAndChild() throws Exception {
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("queue", root.path())) {
            List<String> got = QueueBasics.run(sample);
            assertEquals(1, got.size());
            assertTrue(got.get(0).startsWith("hello to you too"), got.get(0));
        }
    }

    @Test
    void shouldEatEveryBunExactlyOnceWithEndMarkers() throws Exception {
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("producer-consumer", root.path())) {
            int[] eaten = ProducerConsumer.run(sample, "sentinel", 2, 2, 8);
            assertArrayEquals(ones(16), eaten, () -> Arrays.toString(eaten));
        }
    }

    @Test
    void shouldEatEveryBunExactlyOnceWithJoinableQueueAndNoSentinel() throws Exception {
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("producer-consumer", root.path())) {
            int[] eaten = ProducerConsumer.run(sample, "joinable", 2, 2, 8);
            assertArrayEquals(ones(16), eaten, () -> Arrays.toString(eaten));
        }
    }

    private static int[] ones(int n) {
        int[] a = new int[n];
        Arrays.fill(a, 1);
        return a;
    }
}
