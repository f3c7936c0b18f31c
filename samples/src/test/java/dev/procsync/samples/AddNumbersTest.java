package dev.procsync.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procsync.testing.TempRoot;
import org.junit.jupiter.api.Test;

class AddNumbersTest {
    @Test
    void shouldAddExactlyToTheSharedNumberAndSeeTheNegatedArray() throws Exception {
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("add-numbers", root.path())) {
            AddNumbers.Result r = AddNumbers.run(sample, 200);
            assertEquals(200 * 1 + 200 * 3, r.sharedTotal(), "the shared total");
            assertEquals(1, r.mostInside(), "the two runs never interleave under the lock");
            assertArrayEquals(new int[] {0, -1, -2, -3, -4, -5, -6, -7, -8, -9}, r.array());
        }
    }
}
