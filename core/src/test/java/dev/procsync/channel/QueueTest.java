package dev.procsync.channel;

import dev.procsync.layout.QueueLayout;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.ClosedException;
import dev.procsync.Namespace;
import dev.procsync.SegmentMismatchException;
import dev.procsync.codec.Codecs;
import dev.procsync.segment.Segment;
import dev.procsync.testing.TempRoot;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueueTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("q");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    @Test
    void shouldDeliverInFifoOrder() throws Exception {
        try (Queue<String> q = ns.queue("fifo", Codecs.utf8())) {
            for (int i = 0; i < 1000; i++) {
                q.put("m" + i);
            }
            assertEquals(1000, q.size());
            for (int i = 0; i < 1000; i++) {
                assertEquals("m" + i, q.get());
            }
            assertTrue(q.isEmpty());
        }
    }

    @Test
    void shouldSeeMessagesThroughAnotherHandle() throws Exception {
        try (Queue<Long> a = ns.queue("two", Codecs.int64()); Queue<Long> b = ns.queue("two", Codecs.int64())) {
            a.put(42L);
            assertEquals(1, b.size());
            assertEquals(42L, b.get());
        }
    }

    @Test
    void shouldKeepEveryMessageWhenHandlesTakeTurnsPublishing() throws Exception {
        // Each handle may reuse its own copy of tail only while it published last: alternating
        // handles (and batches) must each read the other's tail, or they would overwrite records.
        try (Queue<Long> a = ns.queue("turns", Codecs.int64()); Queue<Long> b = ns.queue("turns", Codecs.int64())) {
            long next = 0;
            for (int round = 0; round < 200; round++) {
                Queue<Long> q = round % 3 == 0 ? a : b;
                if (round % 5 == 0) {
                    q.putAll(List.of(next, next + 1, next + 2));
                    next += 3;
                } else {
                    q.put(next++);
                }
            }
            assertEquals(next, a.size());
            for (long i = 0; i < next; i++) {
                assertEquals(i, (i % 2 == 0 ? a : b).get());
            }
            assertTrue(b.isEmpty());
        }
    }

    @Test
    void shouldRejectZeroOrNegativeCapacity() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QueueCapacity.bytes(0));
        assertTrue(e.getMessage().contains(": 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QueueCapacity.bytes(-5));
        assertThrows(IllegalArgumentException.class, () -> QueueCapacity.messages(0));
        assertThrows(IllegalArgumentException.class, () -> QueueCapacity.messages(-1));
        assertThrows(IllegalArgumentException.class, () -> QueueCapacity.of(1 << 20, 1L << 24));
        assertThrows(IllegalArgumentException.class, () -> QueueCapacity.bytes((1L << 30) + 1));
    }

    @Test
    void shouldRejectOversizeMessageWithNothingWritten() throws Exception {
        try (Queue<byte[]> q = ns.queue("big", Codecs.bytes(), QueueCapacity.bytes(4096))) {
            assertEquals(4080, q.maxMessageSize());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.put(new byte[4081]));
            assertTrue(e.getMessage().contains("4081") && e.getMessage().contains("'big'"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> q.offerBytes(ByteBuffer.allocate(5000)));
            assertTrue(q.isEmpty());
            assertEquals(0, q.usedBytes());
        }
    }

    @Test
    void shouldCarryTheLargestMessageOfACapacityThatIsNoMultipleOf16() throws Exception {
        try (Queue<byte[]> q = ns.queue("odd", Codecs.bytes(), QueueCapacity.bytes(100))) {
            assertEquals(80, q.maxMessageSize());
            assertTrue(q.offer(new byte[80]));
            assertEquals(80, q.poll().length);
            assertThrows(IllegalArgumentException.class, () -> q.offer(new byte[81]));
        }
    }

    @Test
    void shouldCarryMessagesNearTheMaximumAcrossTheRingEnd() throws Exception {
        Random random = new Random(7);
        try (Queue<byte[]> q = ns.queue("near", Codecs.bytes(), QueueCapacity.bytes(4096))) {
            for (int i = 0; i < 200; i++) {
                byte[] m = new byte[i % 3 == 0 ? 4080 : random.nextInt(2000)];
                random.nextBytes(m);
                q.put(m);
                assertArrayEquals(m, q.get());
            }
        }
    }

    @Test
    void shouldWrapVariableLengthRecordsThroughASmallRing() throws Exception {
        Random random = new Random(11);
        List<byte[]> expected = new ArrayList<>();
        try (Queue<byte[]> q = ns.queue("wrap", Codecs.bytes(), QueueCapacity.bytes(1024))) {
            int got = 0;
            for (int i = 0; i < 5000; i++) {
                byte[] m = new byte[random.nextInt(200)];
                random.nextBytes(m);
                while (!q.offer(m)) {
                    assertArrayEquals(expected.get(got++), q.poll());
                }
                expected.add(m);
            }
            List<byte[]> rest = new ArrayList<>();
            q.drainTo(rest, Integer.MAX_VALUE);
            for (byte[] m : rest) {
                assertArrayEquals(expected.get(got++), m);
            }
            assertEquals(expected.size(), got);
        }
    }

    @Test
    void shouldReportFullAndEmptyByValue() throws Exception {
        try (Queue<Integer> q = ns.queue("bounded", Codecs.int32(), QueueCapacity.messages(3))) {
            assertNull(q.poll());
            assertTrue(q.offer(1) && q.offer(2) && q.offer(3));
            assertTrue(q.isFull());
            assertEquals(3, q.size());
            assertFalse(q.offer(4));
            long start = System.nanoTime();
            assertFalse(q.offer(4, Duration.ofMillis(50)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
            assertEquals(1, q.get());
            assertFalse(q.isFull());
            assertEquals(2, q.poll(Duration.ofMillis(50)));
            assertEquals(3, q.poll(Duration.ZERO));
            start = System.nanoTime();
            assertNull(q.poll(Duration.ofMillis(50)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
            assertNull(q.poll(Duration.ofMillis(-1)), "a negative timeout only tries");
        }
    }

    @Test
    void shouldPutPrefixWithOfferAllAndDrainInBatches() throws Exception {
        try (Queue<Integer> q = ns.queue("batch", Codecs.int32(), QueueCapacity.messages(10))) {
            assertEquals(10, q.offerAll(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)));
            List<Integer> out = new ArrayList<>();
            assertEquals(4, q.drainTo(out, 4));
            q.putAll(List.of(10, 11, 12, 13));
            assertEquals(10, q.drainTo(out, 100));
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13), out);
        }
    }

    @Test
    void shouldBlockPutUntilAGetMakesRoom() throws Exception {
        try (Queue<Integer> q = ns.queue("block", Codecs.int32(), QueueCapacity.messages(1))) {
            q.put(1);
            CompletableFuture<Void> putter = CompletableFuture.runAsync(() -> {
                try {
                    q.put(2);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThrows(java.util.concurrent.TimeoutException.class, () -> putter.get(100, TimeUnit.MILLISECONDS));
            assertEquals(1, q.get());
            putter.get(10, TimeUnit.SECONDS);
            assertEquals(2, q.get());
        }
    }

    @Test
    void shouldKeepMessageWhenByteBufferIsTooShort() throws Exception {
        try (Queue<byte[]> q = ns.queue("short", Codecs.bytes())) {
            q.put(new byte[100]);
            ByteBuffer small = ByteBuffer.allocate(10);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.getBytes(small));
            assertTrue(e.getMessage().contains("100 bytes"), e.getMessage());
            assertEquals(1, q.size());
            ByteBuffer big = ByteBuffer.allocateDirect(200);
            assertEquals(100, q.getBytes(big));
            assertEquals(100, big.position());
            assertEquals(-1, q.pollBytes(big, Duration.ZERO));
        }
    }

    @Test
    void shouldRejectReopenWithAnotherCodecOrCapacity() {
        try (Queue<String> q = ns.queue("typed", Codecs.utf8())) {
            assertEquals("utf8", q.codec().id());
            SegmentMismatchException e = assertThrows(SegmentMismatchException.class,
                    () -> ns.queue("typed", Codecs.int64()));
            assertTrue(e.getMessage().contains("'utf8'") && e.getMessage().contains("'int64'"), e.getMessage());
            assertThrows(SegmentMismatchException.class,
                    () -> ns.queue("typed", Codecs.utf8(), QueueCapacity.bytes(4096)));
            assertThrows(SegmentMismatchException.class,
                    () -> ns.joinableQueue("typed", Codecs.utf8(), QueueCapacity.defaults()));
            assertThrows(SegmentMismatchException.class, () -> ns.lock("typed"));
        }
    }

    @Test
    void shouldThrowClosedExceptionAfterClose() throws Exception {
        Queue<String> q = ns.queue("closed", Codecs.utf8());
        q.put("x");
        q.close();
        q.close();
        assertTrue(q.isClosed());
        assertThrows(ClosedException.class, () -> q.put("y"));
        assertThrows(ClosedException.class, q::get);
        assertThrows(ClosedException.class, q::poll);
        assertThrows(ClosedException.class, q::size);
        try (Queue<String> again = ns.queue("closed", Codecs.utf8())) {
            assertEquals("x", again.get());
        }
    }

    @Test
    void shouldWakeOwnWaiterWithClosedExceptionOnClose() throws Exception {
        Queue<String> q = ns.queue("wake", Codecs.utf8());
        CompletableFuture<String> getter = CompletableFuture.supplyAsync(() -> {
            try {
                return q.get();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThrows(java.util.concurrent.TimeoutException.class, () -> getter.get(100, TimeUnit.MILLISECONDS));
        q.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> getter.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof ClosedException, e.getCause().toString());
    }

    @Test
    void shouldDrainThenRefuseAfterShutdown() throws Exception {
        try (Queue<String> q = ns.queue("shut", Codecs.utf8()); Queue<String> other = ns.queue("shut", Codecs.utf8())) {
            q.put("a");
            q.put("b");
            other.shutdown();
            assertTrue(q.isShutdown());
            assertThrows(QueueShutdownException.class, () -> q.put("c"));
            assertThrows(QueueShutdownException.class, () -> q.offer("c"));
            assertEquals("a", q.get());
            assertEquals("b", q.poll());
            assertThrows(QueueShutdownException.class, q::get);
            assertThrows(QueueShutdownException.class, q::poll);
        }
    }

    @Test
    void shouldWakeBlockedGetterOnShutdown() throws Exception {
        try (Queue<String> q = ns.queue("shutwake", Codecs.utf8())) {
            CompletableFuture<String> getter = CompletableFuture.supplyAsync(() -> {
                try {
                    return q.get();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThrows(java.util.concurrent.TimeoutException.class, () -> getter.get(100, TimeUnit.MILLISECONDS));
            q.shutdown();
            ExecutionException e = assertThrows(ExecutionException.class, () -> getter.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof QueueShutdownException, e.getCause().toString());
        }
    }

    @Test
    void shouldInterruptBlockedGetter() throws Exception {
        try (Queue<String> q = ns.queue("intr", Codecs.utf8())) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, q::get);
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }

    @Test
    void shouldRefuseTooManyTaskDoneAndJoin() throws Exception {
        try (JoinableQueue<String> q = ns.joinableQueue("tasks", Codecs.utf8(), QueueCapacity.defaults())) {
            assertThrows(IllegalStateException.class, q::taskDone);
            assertTrue(q.join(Duration.ZERO));
            q.put("a");
            q.put("b");
            assertEquals(2, q.unfinishedTasks());
            assertFalse(q.join(Duration.ofMillis(20)));
            q.get();
            q.taskDone();
            q.get();
            CompletableFuture<Void> joiner = CompletableFuture.runAsync(() -> {
                try {
                    q.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThrows(java.util.concurrent.TimeoutException.class, () -> joiner.get(50, TimeUnit.MILLISECONDS));
            q.taskDone();
            joiner.get(10, TimeUnit.SECONDS);
            IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
            assertTrue(e.getMessage().contains("too many times"), e.getMessage());
        }
    }

    @Test
    void shouldSkipRecordClaimedByDeadProducerAndTakeOverItsClaimLock() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        assertEquals(0, exited.waitFor());
        int deadPid = (int) exited.pid();
        try (JoinableQueue<String> q = ns.joinableQueue("dead", Codecs.utf8(), QueueCapacity.defaults())) {
            q.put("before");
            // What a producer killed between claim and commit leaves: a published IN_PROGRESS record.
            Segment s = q.segment();
            long tail = s.getLongAcquire(QueueLayout.TAIL);
            int at = QueueLayout.RING + (int) (Ring.pos(tail) & (q.ring.ringSize - 1));
            s.setLong(at + 8, deadPid | 12345L << 22);
            s.setLong(at, QueueLayout.IN_PROGRESS | 10);
            s.setLong(QueueLayout.PUT_TOTAL, s.getLong(QueueLayout.PUT_TOTAL) + 1);
            s.setLongRelease(QueueLayout.TAIL, Ring.word(Ring.pos(tail) + Ring.recordLength(10), Ring.count(tail) + 1));
            // ... and one killed inside the claim lock, having counted a put it never published.
            s.setLong(QueueLayout.LOCK_START, 12345L);
            s.setLong(QueueLayout.PUT_TOTAL, s.getLong(QueueLayout.PUT_TOTAL) + 1);
            s.setIntRelease(QueueLayout.LOCK, deadPid);

            q.put("after");
            assertEquals(0, s.getIntAcquire(QueueLayout.LOCK), "claim lock taken over and released");
            assertEquals(3, q.size());
            assertEquals("before", q.get());
            assertEquals("after", q.get());
            assertEquals(1, q.ring.skippedTotal());
            assertTrue(q.isEmpty());
            q.taskDone();
            q.taskDone();
            assertTrue(q.join(Duration.ofSeconds(5)), "the skipped record counts as done; unfinished: "
                    + q.unfinishedTasks());
        }
    }

    @Test
    void shouldSkipAbandonedRecordWithoutWaiting() throws Exception {
        try (Queue<String> q = ns.queue("abandoned", Codecs.utf8())) {
            Segment s = q.segment();
            long tail = s.getLongAcquire(QueueLayout.TAIL);
            int at = QueueLayout.RING + (int) (Ring.pos(tail) & (q.ring.ringSize - 1));
            s.setLong(at + 8, 1L);
            s.setLong(at, QueueLayout.ABANDONED | 3);
            s.setLongRelease(QueueLayout.TAIL, Ring.word(Ring.pos(tail) + Ring.recordLength(3), Ring.count(tail) + 1));
            q.put("next");
            assertEquals("next", q.poll(Duration.ZERO));
            assertTrue(q.isEmpty());
        }
    }

    @Test
    void shouldPassMessagesThroughSimpleQueue() throws Exception {
        try (SimpleQueue<String> q = ns.simpleQueue("simple", Codecs.utf8())) {
            assertTrue(q.isEmpty());
            q.put("hello");
            assertFalse(q.isEmpty());
            assertEquals("hello", q.get());
            assertThrows(IllegalArgumentException.class, () -> q.put("\ud800"));
            assertTrue(q.isEmpty());
        }
    }
}
