package dev.procsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.ProcsyncException;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import dev.procsync.testing.TempRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A namespace root on a 1 MiB tmpfs (mounted by the test; it runs as root in CI and on developer
 * machines): creating more than fits fails at create time, with a message, and leaves nothing behind.
 */
class FullFileSystemTest {
    private final TempRoot temp = new TempRoot();
    private Path small;

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        small = temp.path().resolve("small");
        Files.createDirectories(small);
        String out = run("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", small.toString());
        // Not a skip: without a mount this test fails and says why (the project's machines run as root).
        assertTrue(out.startsWith("0:"), "cannot mount a 1 MiB tmpfs at " + small + " (root needed): " + out);
    }

    @AfterEach
    void unmount() throws Exception {
        String out = run("umount", small.toString());
        if (!out.startsWith("0:")) {
            run("umount", "-l", small.toString());
        }
        temp.close();
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " hung");
        return p.exitValue() + ": " + output.trim();
    }

    private List<String> listing(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void shouldFailAtCreateTimeWithClearMessageAndLeaveNothingWhenSegmentExceedsFreeSpace() throws Exception {
        try (Namespace ns = Namespace.class.cast(dev.procsync.Procsync.open("full",
                dev.procsync.NamespaceOptions.defaults().withRoot(small)))) {
            ProcsyncException e = assertThrows(ProcsyncException.class, () -> ns.createOrOpen("big",
                    SegmentSpec.of(SegmentKind.SHARED_MEMORY, 2 << 20), s -> { }));
            assertTrue(e.getMessage().contains(ns.directory().resolve("big").toString())
                    && e.getMessage().contains("No space left on device") && e.getMessage().contains("is full"),
                    e.getMessage());
            assertEquals(List.of(), listing(ns.directory()), "nothing half-created may stay");
            assertTrue(!ns.exists("big"));
        }
    }

    @Test
    void shouldKeepEarlierSegmentsIntactAndLeaveNothingOfTheOneThatDidNotFit() throws Exception {
        try (Namespace ns = dev.procsync.Procsync.open("fill", dev.procsync.NamespaceOptions.defaults()
                .withRoot(small))) {
            List<Segment> made = new ArrayList<>();
            ProcsyncException failure = null;
            for (int i = 0; i < 64 && failure == null; i++) {
                try {
                    int n = i;
                    made.add(ns.createOrOpen("part-" + i, SegmentSpec.of(SegmentKind.SHARED_MEMORY, 200_000),
                            s -> s.setInt(4096, n)));
                } catch (ProcsyncException e) {
                    failure = e;
                }
            }
            assertTrue(failure != null && failure.getMessage().contains("No space left on device"),
                    "a 1 MiB file system must fill up: " + failure);
            assertTrue(made.size() >= 3, "created " + made.size());
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < made.size(); i++) {
                assertEquals(i, made.get(i).getInt(4096), "earlier segments keep their contents");
                expected.add("part-" + i);
            }
            expected.sort(null);
            assertEquals(expected, listing(ns.directory()), "only the segments that fit, no .creating file");
            System.out.println("[reliability] full tmpfs: " + made.size() + " segments fit, then: "
                    + failure.getMessage());
        }
    }
}
