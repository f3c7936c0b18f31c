package dev.procsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.channel.Pipe;
import dev.procsync.codec.Codecs;
import dev.procsync.data.SharedLong;
import dev.procsync.data.SharedMemory;
import dev.procsync.segment.SegmentFiles;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import dev.procsync.sync.Condition;
import dev.procsync.sync.Lock;
import dev.procsync.sync.RLock;
import dev.procsync.sync.Semaphore;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The name rule of {@link Namespace}: user names never collide with the segments procsync derives. */
class NamesTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("names");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    @Test
    void shouldKeepTheLockOfAValueApartFromAUserNameThatLooksLikeIt() throws Exception {
        try (Lock mine = ns.lock("x.lock"); SharedLong x = ns.sharedLong("x");
                Semaphore sem = ns.semaphore("c.lock", 1); Condition c = ns.condition("c")) {
            mine.acquire(); // the user's own Lock named "x.lock"
            assertTrue(x.getLock().tryAcquire(), "the value's own lock is another segment");
            x.getLock().release();
            mine.release();
            assertTrue(ns.exists("x~lock"));
            assertTrue(c.tryAcquire(Duration.ZERO));
            c.release();
            assertTrue(ns.exists("c~lock"));
            assertEquals(1, sem.availablePermits());
            assertEquals(List.of("c", "c.lock", "c~lock", "x", "x.lock", "x~lock"), ns.names());
        }
    }

    @Test
    void shouldRefuseADerivedNameFromEveryFactory() {
        List<Consumer<String>> factories = List.of(ns::lock, ns::rlock, n -> ns.semaphore(n, 1),
                n -> ns.boundedSemaphore(n, 1), ns::event, ns::condition, n -> ns.barrier(n, 2), ns::sharedLong,
                ns::sharedInt, n -> ns.longArray(n, 2), n -> ns.sharedMemory(n, 64), n -> ns.queue(n, Codecs.utf8()),
                n -> ns.simpleQueue(n, Codecs.utf8()), n -> ns.pipe(n, true), n -> Pipe.open(ns, n, false),
                n -> RLock.openDefaultLockOf(ns, n), n -> SharedMemory.attach(ns, n),
                n -> ns.createOrOpen(n, SegmentSpec.of(SegmentKind.VALUE, 8), s -> { }));
        for (Consumer<String> factory : factories) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> factory.accept("x~lock"));
            assertTrue(e.getMessage().contains("'x~lock'"), e.getMessage());
        }
        assertTrue(ns.names().isEmpty(), "nothing may be created for a refused name: " + ns.names());
        assertThrows(IllegalArgumentException.class, () -> Procsync.open("ns~lock", root.options()));
    }

    @Test
    void shouldLetTheFileLevelMethodsTakeDerivedNames() {
        try (SharedLong x = ns.sharedLong("x")) {
            x.getLock().close();
            assertTrue(ns.exists("x~lock"));
            assertEquals(SegmentKind.RLOCK, ns.open("x~lock").kind());
            assertTrue(ns.unlink("x~lock"));
            assertFalse(ns.exists("x~lock"));
            assertThrows(IllegalArgumentException.class, () -> ns.exists("x~"));
            assertThrows(IllegalArgumentException.class, () -> ns.exists("x~Lock"));
            assertThrows(IllegalArgumentException.class, () -> ns.exists("~lock"));
        }
    }

    @Test
    void shouldDeriveNamesOnlyFromValidUserNames() {
        assertEquals("a.b~lock", SegmentFiles.derivedName("a.b", "lock"));
        assertThrows(IllegalArgumentException.class, () -> SegmentFiles.derivedName("a~b", "lock"));
        assertThrows(IllegalArgumentException.class, () -> SegmentFiles.derivedName("a", "Lock"));
        assertThrows(IllegalArgumentException.class, () -> SegmentFiles.derivedName("a", ""));
        assertFalse(SegmentFiles.NAME.matcher("x~lock").matches());
        assertTrue(SegmentFiles.SEGMENT_NAME.matcher("x~lock").matches());
    }
}
