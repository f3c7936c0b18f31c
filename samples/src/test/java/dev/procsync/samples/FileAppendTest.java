package dev.procsync.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.testing.TempRoot;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileAppendTest {
    @Test
    void shouldKeepEachWritersBlockContiguousUnderTheLock() throws Exception {
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("file-append", root.path())) {
            List<String> lines = FileAppend.run(sample, 20, true);
            assertEquals(2 * 20 * FileAppend.BLOCK, lines.size());
            assertEquals(20 * FileAppend.BLOCK, lines.stream().filter(l -> l.startsWith("writer-with:")).count());
            assertTrue(FileAppend.blocksIntact(lines), () -> "a block was split:\n" + String.join("\n", lines));
        }
    }

    @Test
    void shouldDetectASplitBlock() {
        List<String> whole = List.of("a: x", "a: x", "a: x", "a: x", "a: x", "a: x", "a: x", "a: x", "a: x", "a: x");
        assertTrue(FileAppend.blocksIntact(whole));
        List<String> split = new java.util.ArrayList<>(whole);
        split.set(4, "b: y");
        assertFalse(FileAppend.blocksIntact(split));
    }
}
