package dev.procsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.procsync.Namespace;
import dev.procsync.NamespaceOptions;
import dev.procsync.Procsync;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import dev.procsync.sync.Lock;
import dev.procsync.testing.TempRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A seeded property test over names, sizes, timeouts and modes: every bad input is rejected with an
 * exception that names what was wrong, and nothing is created anywhere in the root for it. Accepted
 * names must land exactly at {@code <namespace dir>/<name>}. Reproduce a failure with
 * {@code -Dprocsync.fuzz.seed=N}.
 */
class BadInputFuzzTest {
    private static final long SEED = Long.getLong("procsync.fuzz.seed", 20261122L);
    private static final int ROUNDS = Integer.getInteger("procsync.fuzz.rounds", 2000);

    private final TempRoot root = new TempRoot();

    @AfterEach
    void cleanUp() {
        root.close();
    }

    static String randomName(Random r) {
        int kind = r.nextInt(10);
        switch (kind) {
            case 0:
                return "";
            case 1:
                return "a".repeat(129 + r.nextInt(200));
            case 2:
                return r.nextBoolean() ? ".." : "../" + "x".repeat(r.nextInt(5));
            case 3:
                return "a/" + "b".repeat(1 + r.nextInt(3));
            case 4:
                return "a\0b";
            default:
                StringBuilder b = new StringBuilder();
                int len = r.nextInt(kind == 9 ? 140 : 12);
                for (int i = 0; i < len; i++) {
                    int pick = r.nextInt(6);
                    if (pick == 0) {
                        b.appendCodePoint(r.nextInt(0x110000)); // any code point, surrogate halves included
                    } else if (pick == 1) {
                        String nasty = "/.\0 \\\n*?-_";
                        b.append(nasty.charAt(r.nextInt(nasty.length())));
                    } else {
                        b.append((char) ('a' + r.nextInt(26)));
                    }
                }
                return b.toString();
        }
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.map(p -> dir.relativize(p).toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void shouldRejectBadNamesClearlyAndCreateNothingForThem() throws Exception {
        Random r = new Random(SEED);
        TreeSet<String> accepted = new TreeSet<>();
        int rejected = 0;
        try (Namespace ns = root.open("fuzz")) {
            for (int i = 0; i < ROUNDS; i++) {
                String name = randomName(r);
                try (Lock lock = ns.lock(name)) {
                    Path file = lock.segment().path();
                    assertEquals(ns.directory(), file.getParent(), "accepted name escaped: " + name);
                    assertEquals(name, file.getFileName().toString());
                    assertTrue(name.length() <= 128 && !name.contains("/") && !name.contains("\0")
                            && !name.startsWith("."), "accepted a name it must not: " + name);
                    accepted.add(name);
                } catch (IllegalArgumentException e) {
                    rejected++;
                    assertTrue(e.getMessage().startsWith("invalid name '")
                            || e.getMessage().contains("must not be null"), e.getMessage());
                }
                try (Namespace other = Procsync.open(name, root.options())) {
                    assertEquals(root.path(), other.directory().getParent(), "namespace escaped: " + name);
                    accepted.add("namespace:" + name);
                } catch (IllegalArgumentException e) {
                    assertTrue(e.getMessage().startsWith("invalid namespace '"), e.getMessage());
                }
            }
            assertThrows(IllegalArgumentException.class, () -> ns.lock(null));
            List<String> names = listing(ns.directory());
            for (String n : names) {
                assertTrue(n.isEmpty() || accepted.contains(n), "unexpected file " + n);
            }
            try (Stream<Path> dirs = Files.list(root.path())) {
                for (Path d : (Iterable<Path>) dirs::iterator) {
                    String n = d.getFileName().toString();
                    assertTrue(n.equals("fuzz") || accepted.contains("namespace:" + n), "unexpected namespace " + n);
                }
            }
        }
        assertTrue(rejected > ROUNDS / 2, "the generator must mostly produce bad names: " + rejected);
        System.out.println("[reliability] fuzzed names: " + ROUNDS + " (x2: primitive and namespace), rejected "
                + rejected + ", accepted " + accepted.size());
    }

    @Test
    void shouldRejectBadSizesTimeoutsAndModesWithTheValueInTheMessage() throws Exception {
        Random r = new Random(SEED + 1);
        int tried = 0;
        try (Namespace ns = root.open("fuzz2"); Lock lock = ns.lock("l")) {
            List<String> before = listing(root.path());
            for (int i = 0; i < ROUNDS; i++) {
                long size = r.nextBoolean() ? -1 - r.nextInt(Integer.MAX_VALUE)
                        : Segment.MAX_LENGTH + 1 + (r.nextLong() & 0xFFFF_FFFFFFL);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> ns.createOrOpen("sized", SegmentSpec.of(SegmentKind.SHARED_MEMORY, size), s -> { }));
                assertTrue(e.getMessage().contains(Long.toString(size)), e.getMessage());

                long negative = -1 - (r.nextLong() & Long.MAX_VALUE);
                assertTrue(lock.tryAcquire(Duration.ofNanos(negative)), "a negative timeout only tries");
                assertFalse(lock.tryAcquire(negative, TimeUnit.values()[r.nextInt(TimeUnit.values().length)]),
                        "a negative timeout does not wait for the held lock");
                lock.release();

                int mode = r.nextInt();
                if ((mode & ~0777) != 0 || (mode & 0600) != 0600) {
                    e = assertThrows(IllegalArgumentException.class,
                            () -> NamespaceOptions.defaults().withFileMode(mode));
                    assertTrue(e.getMessage().contains(Integer.toOctalString(mode)), e.getMessage());
                }
                tried += 4;
            }
            // Huge but valid timeouts saturate instead of overflowing.
            assertTrue(lock.tryAcquire(Duration.ofSeconds(Long.MAX_VALUE)));
            lock.release();
            assertTrue(lock.tryAcquire(Long.MAX_VALUE, TimeUnit.DAYS));
            lock.release();
            assertEquals(before, listing(root.path()), "bad input created something");
        } catch (IllegalArgumentException unexpected) {
            fail("a valid call was rejected", unexpected);
        }
        System.out.println("[reliability] fuzzed sizes/timeouts/modes: " + tried);
    }
}
