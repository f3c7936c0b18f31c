package dev.procsync.data;

import dev.procsync.layout.ValueLayout;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.ClosedException;
import dev.procsync.Namespace;
import dev.procsync.SegmentMismatchException;
import dev.procsync.segment.SequenceWatch;
import dev.procsync.sync.Lock;
import dev.procsync.sync.Mutex;
import dev.procsync.sync.RLock;
import dev.procsync.testing.TempRoot;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try")
class SharedValueTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("values");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    @Test
    void shouldShareLongBetweenHandlesWithAtomics() {
        try (SharedLong a = SharedLong.open(ns, "n"); SharedLong b = SharedLong.open(ns, "n")) {
            assertEquals(0, a.get());
            a.set(41);
            assertEquals(42, b.incrementAndGet());
            assertEquals(42, b.getAndAdd(8));
            assertEquals(49, a.decrementAndGet());
            assertEquals(59, a.addAndGet(10));
            assertTrue(b.compareAndSet(59, 7));
            assertFalse(b.compareAndSet(59, 8));
            assertEquals(7, a.getAndSet(3));
            assertEquals(30, a.updateAndGet(v -> v * 10));
            assertEquals(35, b.accumulateAndGet(5, Long::sum));
            a.set(Long.MIN_VALUE);
            assertEquals(Long.MAX_VALUE, b.decrementAndGet(), "wraps like AtomicLong");
        }
    }

    @Test
    void shouldSupportIntAtomics() {
        try (SharedInt a = SharedInt.open(ns, "i")) {
            assertEquals(1, a.incrementAndGet());
            assertEquals(1, a.getAndAdd(5));
            assertTrue(a.compareAndSet(6, 100));
            assertEquals(300, a.accumulateAndGet(3, (x, y) -> x * y));
            assertEquals(300, a.getAndSet(-1));
            assertEquals(-1, a.get());
        }
    }

    @Test
    void shouldCompareDoublesByBits() {
        try (SharedDouble d = SharedDouble.open(ns, "d")) {
            assertEquals(0.0, d.get());
            assertFalse(d.compareAndSet(-0.0, 1.0), "0.0 and -0.0 differ bit for bit");
            d.set(Double.NaN);
            assertTrue(d.compareAndSet(Double.NaN, 1.5), "the same NaN compares equal by bits");
            assertEquals(4.0, d.addAndGet(2.5));
            assertEquals(4.0, d.getAndAdd(1.0));
            assertEquals(10.0, d.updateAndGet(v -> v * 2));
            assertEquals(13.0, d.accumulateAndGet(3.0, Double::sum));
            assertEquals(13.0, d.getAndSet(-2.0));
        }
    }

    @Test
    void shouldSupportBooleans() {
        try (SharedBoolean flag = SharedBoolean.open(ns, "flag")) {
            assertFalse(flag.get());
            assertTrue(flag.compareAndSet(false, true));
            assertFalse(flag.compareAndSet(false, true));
            assertTrue(flag.getAndSet(false));
            flag.set(true);
            assertTrue(flag.get());
        }
    }

    @Test
    void shouldStoreBytesAndStringsWithExactLengths() {
        try (SharedBytes a = SharedBytes.open(ns, "s", 16); SharedBytes b = SharedBytes.open(ns, "s", 16)) {
            assertEquals(0, b.get().length);
            a.set(new byte[] {1, 0, 0, 2});
            assertArrayEquals(new byte[] {1, 0, 0, 2}, b.get(), "NULs are kept, unlike ShareableList");
            a.setString("héllo");
            assertEquals("héllo", b.getString());
            assertEquals("héllo".getBytes(StandardCharsets.UTF_8).length, b.length());
            byte[] src = "0123456789".getBytes(StandardCharsets.US_ASCII);
            a.set(src, 2, 3);
            assertEquals("234", b.getString());
            IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                    () -> a.setString("x".repeat(17)));
            assertTrue(tooLong.getMessage().contains("'s'") && tooLong.getMessage().contains("16"),
                    tooLong.getMessage());
            assertEquals("234", b.getString(), "a rejected set changes nothing");
        }
    }

    @Test
    void shouldRejectReopenWithAnotherTypeNamingBoth() {
        try (SharedLong ignored = SharedLong.open(ns, "v")) {
            SegmentMismatchException e = assertThrows(SegmentMismatchException.class, () -> SharedInt.open(ns, "v"));
            assertTrue(e.getMessage().contains("holds long, not int"), e.getMessage());
            e = assertThrows(SegmentMismatchException.class, () -> SharedDouble.open(ns, "v"));
            assertTrue(e.getMessage().contains("holds long, not double"), e.getMessage());
        }
        try (SharedBytes ignored = SharedBytes.open(ns, "b", 8)) {
            SegmentMismatchException e = assertThrows(SegmentMismatchException.class,
                    () -> SharedBytes.open(ns, "b", 9));
            assertTrue(e.getMessage().contains("capacity 8") && e.getMessage().contains("capacity 9"), e.getMessage());
        }
        assertThrows(SegmentMismatchException.class, () -> SharedDoubleArray.open(ns, "v", 1));
    }

    @Test
    void shouldRejectBadCapacity() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SharedBytes.open(ns, "b", 0));
        assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SharedBytes.open(ns, "b", -5));
    }

    @Test
    void shouldThrowClosedAfterClose() {
        SharedLong v = SharedLong.open(ns, "c");
        v.close();
        v.close();
        assertTrue(v.isClosed());
        ClosedException e = assertThrows(ClosedException.class, v::get);
        assertTrue(e.getMessage().contains("'c'"), e.getMessage());
        assertThrows(ClosedException.class, v::incrementAndGet);
        assertThrows(ClosedException.class, v::getLock);
        SharedBytes b = SharedBytes.open(ns, "cb", 4);
        b.close();
        assertThrows(ClosedException.class, b::get);
        assertThrows(ClosedException.class, () -> b.set(new byte[1]));
    }

    @Test
    void shouldOfferItsOwnReentrantLockAsPythonDoes() throws Exception {
        try (SharedLong a = SharedLong.open(ns, "x"); SharedLong b = SharedLong.open(ns, "x")) {
            Mutex lock = a.getLock();
            assertSame(lock, a.getLock());
            assertInstanceOf(RLock.class, lock, "Value(lock=True) makes an RLock");
            assertTrue(ns.exists("x~lock"));
            try (Mutex.Hold outer = lock.hold(); Mutex.Hold inner = b.getLock().hold()) {
                assertTrue(b.getLock().isLocked(), "both handles name the same lock");
                assertEquals(2, ((RLock) lock).holdCount(), "the owning thread re-enters through either handle");
                CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> b.getLock().tryAcquire());
                assertFalse(other.get(), "another thread is excluded");
            }
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void shouldBumpTheChangeWordOnEveryWriteOnlyWhileSomeoneWatches() {
        try (SharedLong a = SharedLong.open(ns, "w"); SharedLong b = SharedLong.open(ns, "w");
                SharedBoolean flag = SharedBoolean.open(ns, "wf")) {
            int before;
            try (SequenceWatch probe = b.armChanges()) {
                before = probe.sequence();
            }
            a.set(1);
            a.incrementAndGet();
            assertFalse(a.compareAndSet(99, 3));
            try (SequenceWatch watch = b.armChanges()) {
                assertEquals(before, watch.sequence(), "unwatched writes leave the word alone (no wake-up)");
                a.set(5);
                int s1 = watch.sequence();
                assertTrue(s1 != before, "a write while watched bumps the word");
                a.getAndAdd(2);
                a.updateAndGet(v -> v * 2);
                assertTrue(a.compareAndSet(14, 15));
                assertFalse(a.compareAndSet(14, 16), "a failed CAS writes nothing");
                assertEquals(s1 + 3, watch.sequence(), "getAndAdd, updateAndGet and the successful CAS");
                assertTrue(watch.address() != 0);
            }
            try (SequenceWatch watch = flag.armChanges()) {
                int s = watch.sequence();
                flag.set(true);
                assertEquals(s + 1, watch.sequence());
            }
        }
    }

    @Test
    void shouldShareAGivenLockOrRLock() throws Exception {
        try (Lock plain = ns.lock("common"); RLock reentrant = ns.rlock("common-r");
                SharedDouble c = SharedDouble.open(ns, "y", plain);
                SharedIntArray d = SharedIntArray.open(ns, "z", 4, reentrant)) {
            assertSame(plain, c.getLock());
            assertSame(reentrant, d.getLock());
            try (Mutex.Hold hold = c.getLock().hold()) {
                assertTrue(plain.isLocked());
                assertFalse(hold.previousOwnerDied());
            }
            assertFalse(plain.isLocked());
            assertFalse(ns.exists("y~lock"), "a value with a given lock opens none of its own");
        }
        assertTrue(ns.exists("common"), "closing the value does not close or remove the shared lock");
    }

    @Test
    void shouldOpenEverythingThroughTheNamespace() throws Exception {
        try (SharedInt i = ns.sharedInt("ni"); SharedLong l = ns.sharedLong("nl");
                SharedDouble d = ns.sharedDouble("nd");
                SharedBoolean b = ns.sharedBoolean("nb"); SharedBytes s = ns.sharedBytes("ns", 4);
                SharedIntArray ia = ns.intArray("nia", 2); SharedLongArray la = ns.longArray("nla", 2);
                SharedDoubleArray da = ns.doubleArray("nda", 2); SharedByteArray ba = ns.byteArray("nba", 2);
                SharedMemory m = ns.sharedMemory("nm", 10); dev.procsync.channel.Pipe<byte[]> p = ns.pipe("np", true)) {
            assertEquals(1, i.incrementAndGet() + l.get() + (long) d.get() + (b.get() ? 1 : 0) + s.length()
                    + ia.get(0) + la.get(1) + (long) da.get(0) + ba.get(1));
            assertEquals(10, m.size());
            p.a().sendBytes(new byte[] {7});
            assertArrayEquals(new byte[] {7}, p.b().recvBytes());
        }
    }

    @Test
    void shouldRecoverFromAWriterThatDiedMidSet() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        int deadPid = (int) gone.pid();
        try (SharedBytes s = SharedBytes.open(ns, "torn", 8)) {
            s.setString("abc");
            long seq = s.segment().getLongAcquire(ValueLayout.SEQ_OFFSET);
            // What a writer killed between its claiming CAS and its closing store leaves behind.
            s.segment().setLongRelease(ValueLayout.SEQ_OFFSET, seq | deadPid);
            assertEquals("abc", s.getString(), "a reader finishes the dead writer's sequence instead of waiting");
            s.setString("defg");
            assertEquals("defg", s.getString());
        }
    }
}
