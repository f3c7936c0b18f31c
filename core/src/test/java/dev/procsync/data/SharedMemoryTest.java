package dev.procsync.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.ClosedException;
import dev.procsync.Namespace;
import dev.procsync.SegmentExistsException;
import dev.procsync.SegmentMismatchException;
import dev.procsync.SegmentNotFoundException;
import dev.procsync.testing.TempRoot;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedMemoryTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("shm");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    @Test
    void shouldCreateExclusivelyAndAttachWithSizeFromTheBlock() {
        try (SharedMemory created = SharedMemory.create(ns, "blk", 1000)) {
            assertEquals(1000, created.size());
            assertEquals(1000, created.buffer().capacity());
            created.buffer().put(999, (byte) 42);
            SegmentExistsException exists = assertThrows(SegmentExistsException.class,
                    () -> SharedMemory.create(ns, "blk", 1000));
            assertTrue(exists.getMessage().contains("blk"), exists.getMessage());
            try (SharedMemory attached = SharedMemory.attach(ns, "blk");
                    SharedMemory either = SharedMemory.createOrAttach(ns, "blk", 1000)) {
                assertEquals(1000, attached.size());
                assertEquals(42, attached.buffer().get(999));
                assertEquals(42, either.buffer().get(999));
            }
            assertThrows(SegmentMismatchException.class, () -> SharedMemory.createOrAttach(ns, "blk", 999));
        }
    }

    @Test
    void shouldFailToAttachMissingAndRejectNonPositiveSizes() {
        SegmentNotFoundException e = assertThrows(SegmentNotFoundException.class, () -> SharedMemory.attach(ns, "no"));
        assertTrue(e.getMessage().contains("no"), e.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.create(ns, "z", 0));
        assertTrue(zero.getMessage().contains("'z'") && zero.getMessage().contains("got 0"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.createOrAttach(ns, "z", -1));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(ns, "z", Long.MAX_VALUE));
        assertTrue(ns.names().isEmpty(), "nothing created by rejected calls");
    }

    @Test
    void shouldKeepDataAfterCloseAndUnlinkExactlyOnce() {
        SharedMemory a = SharedMemory.create(ns, "m", 64);
        ByteBuffer stale = a.buffer();
        a.buffer().put(0, (byte) 9);
        a.close();
        a.close();
        assertThrows(ClosedException.class, a::buffer);
        assertEquals(0, stale.get(0), "an old view reads zeros after close, never crashes");
        SharedMemory b = SharedMemory.attach(ns, "m");
        assertEquals(9, b.buffer().get(0), "close does not unlink or clear");
        b.unlink();
        assertTrue(!ns.exists("m"));
        assertEquals(9, b.buffer().get(0), "a mapping outlives the name");
        SegmentNotFoundException twice = assertThrows(SegmentNotFoundException.class, a::unlink);
        assertTrue(twice.getMessage().contains("already unlinked"), twice.getMessage());
        try (SharedMemory fresh = SharedMemory.create(ns, "m", 64)) {
            assertThrows(SegmentNotFoundException.class, b::unlink, "must not unlink the new block");
            assertTrue(ns.exists("m"));
            fresh.unlink();
        }
        b.close();
    }

    @Test
    void shouldLeaveTheFileWhenAttachFails() {
        try (SharedLong other = SharedLong.open(ns, "taken")) {
            other.set(5);
            SegmentMismatchException e = assertThrows(SegmentMismatchException.class,
                    () -> SharedMemory.attach(ns, "taken"));
            assertTrue(e.getMessage().contains("VALUE") && e.getMessage().contains("SHARED_MEMORY"), e.getMessage());
            assertTrue(ns.exists("taken"), "a failed attach must never unlink (CPython gh-153279)");
            try (SharedLong again = SharedLong.open(ns, "taken")) {
                assertEquals(5, again.get());
            }
        }
    }
}
