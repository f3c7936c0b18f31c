package dev.procsync.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.testing.TempRoot;
import org.junit.jupiter.api.Test;

class KtvRoomTest {
    @Test
    void shouldNeverHaveMoreThanFourGroupsInside() throws Exception {
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("ktv", root.path())) {
            KtvRoom.Result r = KtvRoom.run(sample, 4, 5);
            assertEquals(5, r.sang(), "every group sang");
            assertTrue(r.mostInside() >= 1 && r.mostInside() <= 4, () -> r.mostInside() + " groups inside at once");
        }
    }

    @Test
    void shouldLetOnlyOneGroupInAtATimeWithOneRoom() throws Exception {
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("ktv", root.path())) {
            KtvRoom.Result r = KtvRoom.run(sample, 1, 3);
            assertEquals(3, r.sang());
            assertEquals(1, r.mostInside());
        }
    }
}
