package dev.procsync.channel;

import dev.procsync.layout.PipeLayout;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.ClosedException;
import dev.procsync.Namespace;
import dev.procsync.SegmentMismatchException;
import dev.procsync.codec.Codecs;
import dev.procsync.testing.TempRoot;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try")
class PipeTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("pipes");
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void cleanUp() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        ns.close();
        root.close();
    }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void shouldKeepBoundariesIncludingEmptyAndWrappingMessages() throws Exception {
        try (Pipe<byte[]> pipe = Pipe.open(ns, "p", true, 64, Codecs.bytes())) {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < 2_000; i++) {
                    pipe.b().sendBytes(pattern(i % 150, i));
                }
                return null;
            });
            for (int i = 0; i < 2_000; i++) {
                assertArrayEquals(pattern(i % 150, i), pipe.a().recvBytes(), "message " + i);
            }
            writer.get(30, TimeUnit.SECONDS);
            pipe.a().sendBytes(new byte[] {1, 2, 3, 4, 5}, 1, 3);
            assertArrayEquals(new byte[] {2, 3, 4}, pipe.b().recvBytes());
            ByteBuffer direct = ByteBuffer.allocateDirect(10);
            direct.put(new byte[] {9, 8, 7}).flip();
            pipe.a().sendBytes(direct);
            assertEquals(3, direct.position(), "the buffer is consumed");
            assertArrayEquals(new byte[] {9, 8, 7}, pipe.b().recvBytes());
        }
    }

    @Test
    void shouldTrySendOnlyWholeFramesThatFitNow() throws Exception {
        try (Pipe<byte[]> pipe = Pipe.open(ns, "try", false, 64, Codecs.bytes())) {
            Connection<byte[]> writer = pipe.b();
            assertEquals(64, writer.outgoingCapacity());
            ByteBuffer m = ByteBuffer.wrap(pattern(20, 1));
            assertTrue(writer.canSendNow(28));
            assertTrue(writer.trySendBytes(m));
            assertEquals(20, m.position(), "a sent buffer is consumed");
            assertTrue(writer.trySendBytes(ByteBuffer.wrap(pattern(20, 2))));
            ByteBuffer third = ByteBuffer.wrap(pattern(20, 3));
            assertFalse(writer.canSendNow(28), "56 of 64 bytes are taken");
            assertFalse(writer.trySendBytes(third), "28 more bytes do not fit in 8");
            assertEquals(0, third.position(), "nothing of it was written");
            assertFalse(writer.trySendBytes(ByteBuffer.allocate(57)), "a frame larger than the ring never fits");
            assertArrayEquals(pattern(20, 1), pipe.a().recvBytes());
            assertTrue(writer.trySendBytes(third));
            assertArrayEquals(pattern(20, 2), pipe.a().recvBytes());
            assertArrayEquals(pattern(20, 3), pipe.a().recvBytes());
            assertFalse(pipe.a().poll(), "no partial frame was left behind");
            assertThrows(IllegalStateException.class, () -> pipe.a().trySendBytes(ByteBuffer.allocate(1)),
                    "the first end of a one-way pipe only reads");
            pipe.a().close();
            assertThrows(BrokenPipeException.class, () -> writer.trySendBytes(ByteBuffer.allocate(1)));
        }
    }

    @Test
    void shouldStreamMessagesMuchLargerThanTheRing() throws Exception {
        byte[] big = pattern(3 * 1024 * 1024 + 7, 42);
        try (Pipe<byte[]> pipe = Pipe.open(ns, "big", false, 4096, Codecs.bytes())) {
            Future<?> writer = pool.submit(() -> {
                pipe.b().sendBytes(big);
                pipe.b().sendBytes(new byte[] {1});
                return null;
            });
            assertArrayEquals(big, pipe.a().recvBytes());
            assertArrayEquals(new byte[] {1}, pipe.a().recvBytes());
            writer.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldLeaveTooLongMessageInThePipe() throws Exception {
        try (Pipe<byte[]> pipe = Pipe.open(ns, "max", true)) {
            pipe.b().sendBytes(new byte[100]);
            MessageTooLongException e = assertThrows(MessageTooLongException.class, () -> pipe.a().recvBytes(99));
            assertEquals(100, e.length());
            assertEquals(99, e.maxLength());
            assertTrue(e.getMessage().contains("'max'") && e.getMessage().contains("stays"), e.getMessage());
            assertEquals(100, pipe.a().recvBytes(100).length, "the message was not consumed");
            assertThrows(IllegalArgumentException.class, () -> pipe.a().recvBytes(-1));
        }
    }

    @Test
    void shouldCarryWholeMessageInBufferTooShort() throws Exception {
        try (Pipe<byte[]> pipe = Pipe.open(ns, "into", true)) {
            pipe.a().sendBytes(pattern(20, 1));
            ByteBuffer small = ByteBuffer.allocate(19);
            BufferTooShortException e = assertThrows(BufferTooShortException.class,
                    () -> pipe.b().recvBytesInto(small));
            assertArrayEquals(pattern(20, 1), e.message());
            assertEquals(0, small.position());
            pipe.a().sendBytes(pattern(5, 2));
            ByteBuffer fits = ByteBuffer.allocate(8);
            fits.position(2);
            assertEquals(5, pipe.b().recvBytesInto(fits));
            assertEquals(7, fits.position());
        }
    }

    @Test
    void shouldPollWithTimeouts() throws Exception {
        try (Pipe<String> pipe = Pipe.open(ns, "poll", true, 1024, Codecs.utf8())) {
            assertFalse(pipe.a().poll());
            assertFalse(pipe.a().poll(Duration.ZERO));
            long t0 = System.nanoTime();
            assertFalse(pipe.a().poll(Duration.ofMillis(50)));
            assertTrue(System.nanoTime() - t0 >= 50_000_000L, "waited the timeout");
            assertFalse(pipe.a().poll(Duration.ofMillis(-1)), "a negative timeout only checks");
            CompletableFuture<Boolean> polled = CompletableFuture.supplyAsync(() -> {
                try {
                    return pipe.a().poll(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, pool);
            pipe.b().send("héllo");
            assertTrue(polled.get(10, TimeUnit.SECONDS));
            assertTrue(pipe.a().poll());
            assertEquals("héllo", pipe.a().recv(), "poll does not consume");
        }
    }

    @Test
    void shouldReportEndOfStreamAfterDrainingWhenPeerCloses() throws Exception {
        try (Pipe<byte[]> pipe = Pipe.open(ns, "eof", false)) {
            pipe.b().sendBytes(new byte[] {1});
            pipe.b().sendBytes(new byte[] {2});
            pipe.b().close();
            assertTrue(pipe.a().poll());
            assertArrayEquals(new byte[] {1}, pipe.a().recvBytes());
            assertArrayEquals(new byte[] {2}, pipe.a().recvBytes());
            EndOfPipeException e = assertThrows(EndOfPipeException.class, () -> pipe.a().recvBytes());
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            assertThrows(EndOfPipeException.class, () -> pipe.a().recvBytes(), "EOF is sticky");
        }
        try (Pipe<byte[]> pipe = Pipe.open(ns, "eof2", true)) {
            Future<byte[]> blocked = pool.submit(() -> pipe.a().recvBytes());
            pipe.b().close();
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> blocked.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof EndOfPipeException, e.toString());
            BrokenPipeException broken = assertThrows(BrokenPipeException.class,
                    () -> pipe.a().sendBytes(new byte[1]));
            assertTrue(broken.getMessage().contains("end B") && broken.getMessage().contains("closed"),
                    broken.getMessage());
        }
    }

    @Test
    void shouldRejectWrongDirectionAndUseAfterClose() throws Exception {
        try (Pipe<byte[]> pipe = Pipe.open(ns, "oneway", false)) {
            IllegalStateException ro = assertThrows(IllegalStateException.class, () -> pipe.a().sendBytes(new byte[1]));
            assertTrue(ro.getMessage().contains("read-only"), ro.getMessage());
            IllegalStateException wo = assertThrows(IllegalStateException.class, () -> pipe.b().recvBytes());
            assertTrue(wo.getMessage().contains("write-only"), wo.getMessage());
            assertFalse(pipe.a().isWritable());
            assertFalse(pipe.b().isReadable());
            pipe.a().close();
            assertThrows(ClosedException.class, () -> pipe.a().recvBytes());
            assertThrows(ClosedException.class, () -> pipe.a().poll());
        }
        Future<byte[]> waiting;
        try (Pipe<byte[]> pipe = Pipe.open(ns, "closing", true)) {
            waiting = pool.submit(() -> pipe.a().recvBytes());
            int readersWaiting = PipeLayout.RING0_CTL + PipeLayout.READERS_WAITING;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (pipe.b().segment().getIntAcquire(readersWaiting) == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(1, pipe.b().segment().getIntAcquire(readersWaiting), "the reader is about to sleep");
            pipe.a().close();
        }
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> waiting.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof ClosedException, e.toString());
    }

    @Test
    void shouldRejectBadArgumentsAndMismatchedReopen() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Pipe.open(ns, "c", true, 100, Codecs.bytes()));
        assertThrows(IllegalArgumentException.class, () -> Pipe.open(ns, "c", true, -64, Codecs.bytes()));
        assertThrows(IllegalArgumentException.class, () -> Pipe.open(ns, "c", true, 32, Codecs.bytes()));
        try (Connection<byte[]> a = Pipe.end(ns, "m", Pipe.End.A, true)) {
            assertThrows(SegmentMismatchException.class, () -> Pipe.end(ns, "m", Pipe.End.B, false));
            SegmentMismatchException codec = assertThrows(SegmentMismatchException.class,
                    () -> Pipe.end(ns, "m", Pipe.End.B, true, Pipe.DEFAULT_CAPACITY, Codecs.utf8()));
            assertTrue(codec.getMessage().contains("'bytes', not 'utf8'"), codec.getMessage());
            IllegalStateException twice = assertThrows(IllegalStateException.class,
                    () -> Pipe.end(ns, "m", Pipe.End.A, true));
            assertTrue(twice.getMessage().contains("already open"), twice.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> a.sendBytes(new byte[4], 2, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> a.sendBytes(new byte[4], 0, -1));
            a.close();
            IllegalStateException reopened = assertThrows(IllegalStateException.class,
                    () -> Pipe.end(ns, "m", Pipe.End.A, true));
            assertTrue(reopened.getMessage().contains("was closed"), reopened.getMessage());
        }
    }

    @Test
    void shouldRejectMessagesOverTheMaximumWithoutSendingAnything() throws Exception {
        java.nio.file.Path sparse = root.path().resolve("sparse");
        try (java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(sparse,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE); Pipe<byte[]> pipe = Pipe.open(ns, "huge", true)) {
            file.write(ByteBuffer.wrap(new byte[1]), Integer.MAX_VALUE - 1L); // sparse: no memory is used
            ByteBuffer tooBig = file.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, Integer.MAX_VALUE);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pipe.a().sendBytes(tooBig));
            assertTrue(e.getMessage().contains(String.valueOf(Pipe.MAX_MESSAGE)), e.getMessage());
            assertFalse(pipe.b().poll(), "nothing was sent");
        }
    }

    @Test
    void shouldCloseConnectionWhenInterruptedMidMessage() throws Exception {
        try (Pipe<byte[]> pipe = Pipe.open(ns, "intr", false, 4096, Codecs.bytes())) {
            Future<?> sender = pool.submit(() -> {
                pipe.b().sendBytes(new byte[1024 * 1024]);
                return null;
            });
            assertTrue(pipe.a().poll(Duration.ofSeconds(10)), "the message has started");
            sender.cancel(true);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!pipe.b().isClosed() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(pipe.b().isClosed(), "an interrupt mid-message closes the sending end");
            EndOfPipeException eof = assertThrows(EndOfPipeException.class, () -> pipe.a().recvBytes());
            assertTrue(eof.getMessage().contains("middle of a message"), eof.getMessage());
        }
    }
}
