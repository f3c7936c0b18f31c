package dev.procsync.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.codec.Codecs;
import dev.procsync.process.ChildProcess;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try")
class PipeCrossProcessTest {
    static final int CAPACITY = 64 * 1024;
    static final int SMALL_RING = 4096;
    static final int MESSAGES = 3_000;

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("xpipe");
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void cleanUp() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        ns.close();
        root.close();
    }

    /** Message i: a few bytes mostly, a multi-MB one every 500th, derived from i. */
    static byte[] message(int i) {
        int length = i % 500 == 499 ? 4 * 1024 * 1024 - i : i % 300;
        return PipeTest.pattern(length, i);
    }

    /** Child: end B of a duplex pipe; echoes every message until end of stream, then prints the count. */
    public static final class Echo {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args);
                    Connection<byte[]> b = Pipe.end(ns, "echo", Pipe.End.B, true, CAPACITY, Codecs.bytes())) {
                int count = 0;
                try {
                    while (true) {
                        b.sendBytes(b.recvBytes());
                        count++;
                    }
                } catch (EndOfPipeException eof) {
                    System.out.println("EOF after " + count);
                }
            }
        }
    }

    /** Child: writer end B of a one-way pipe; sends args[2] numbered strings, then closes. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            int n = Integer.parseInt(args[2]);
            try (Namespace ns = TempRoot.openFromArgs(args);
                    Connection<String> b = Pipe.end(ns, "oneway", Pipe.End.B, false, SMALL_RING, Codecs.utf8())) {
                for (int i = 0; i < n; i++) {
                    b.send("message " + i);
                }
            }
        }
    }

    /** Child: writer end B; sends "ready", then (args[2] = "mid") starts a 1 MB message into a 4 KiB ring; hangs. */
    public static final class StuckWriter {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            Connection<byte[]> b = Pipe.end(ns, "stuck", Pipe.End.B, false, SMALL_RING, Codecs.bytes());
            b.sendBytes("ready".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            System.out.println("SENT");
            if ("mid".equals(args[2])) {
                b.sendBytes(new byte[1024 * 1024]);
            }
            new CountDownLatch(1).await();
        }
    }

    /** Child: reader end A; receives one message, says so, and hangs. */
    public static final class StuckReader {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            Connection<byte[]> a = Pipe.end(ns, "deadreader", Pipe.End.A, false, SMALL_RING, Codecs.bytes());
            a.recvBytes();
            System.out.println("GOT");
            new CountDownLatch(1).await();
        }
    }

    @Test
    void shouldCarryManyMessagesBothWaysWithBoundariesIncludingMultiMegabyteOnes() throws Exception {
        try (Children children = new Children();
                Connection<byte[]> a = Pipe.end(ns, "echo", Pipe.End.A, true, CAPACITY, Codecs.bytes())) {
            ChildProcess echo = children.start(Echo.class, root.childArgs("xpipe"));
            assertFalse(a.poll(Duration.ofMillis(30)), "nothing to read before anything is sent");
            Future<?> sender = pool.submit(() -> {
                for (int i = 0; i < MESSAGES; i++) {
                    a.sendBytes(message(i));
                }
                return null;
            });
            for (int i = 0; i < MESSAGES; i++) {
                assertArrayEquals(message(i), a.recvBytes(), "echo of message " + i);
            }
            sender.get(60, TimeUnit.SECONDS);
            a.close();
            assertEquals("EOF after " + MESSAGES, echo.awaitLine(l -> l.startsWith("EOF"), Children.JOIN),
                    "the child sees end of stream when we close");
            children.joinAllSuccessfully();
        }
    }

    @Test
    void shouldDrainThenReportEndOfStreamWhenWriterProcessCloses() throws Exception {
        try (Children children = new Children();
                Connection<String> a = Pipe.end(ns, "oneway", Pipe.End.A, false, SMALL_RING, Codecs.utf8())) {
            children.start(Writer.class, root.childArgs("xpipe", "500"));
            for (int i = 0; i < 300; i++) {
                assertEquals("message " + i, a.recv());
            }
            children.joinAllSuccessfully(); // the last 200 (3,800 bytes) fit the ring: the writer closes and exits
            for (int i = 300; i < 500; i++) {
                assertEquals("message " + i, a.recv());
            }
            EndOfPipeException e = assertThrows(EndOfPipeException.class, a::recv);
            assertTrue(e.getMessage().contains("was closed"), e.getMessage());
        }
    }

    @Test
    void shouldWakeBlockedReaderWithEndOfStreamWhenWriterIsKilled() throws Exception {
        try (Children children = new Children();
                Connection<byte[]> a = Pipe.end(ns, "stuck", Pipe.End.A, false, SMALL_RING, Codecs.bytes())) {
            ChildProcess writer = children.start(StuckWriter.class, root.childArgs("xpipe", "idle"));
            assertEquals("ready", new String(a.recvBytes(), java.nio.charset.StandardCharsets.US_ASCII));
            writer.awaitLine("SENT"::equals, Children.JOIN);
            assertFalse(a.poll(Duration.ofMillis(100)), "a live, silent writer is not end of stream");
            Future<byte[]> blocked = pool.submit(() -> a.recvBytes());
            assertFalse(blocked.isDone());
            writer.kill();
            ExecutionException e = assertThrows(ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof EndOfPipeException, e.toString());
            assertTrue(e.getCause().getMessage().contains("died"), e.getCause().getMessage());
            IllegalStateException reopen = assertThrows(IllegalStateException.class,
                    () -> Pipe.end(ns, "stuck", Pipe.End.B, false, SMALL_RING, Codecs.bytes()));
            assertTrue(reopen.getMessage().contains("process " + writer.pid() + ", which died"), reopen.getMessage());
        }
    }

    @Test
    void shouldReportTruncatedMessageWhenWriterIsKilledMidMessage() throws Exception {
        try (Children children = new Children();
                Connection<byte[]> a = Pipe.end(ns, "stuck", Pipe.End.A, false, SMALL_RING, Codecs.bytes())) {
            ChildProcess writer = children.start(StuckWriter.class, root.childArgs("xpipe", "mid"));
            assertEquals(5, a.recvBytes().length);
            assertTrue(a.poll(Duration.ofSeconds(30)), "the big message's header arrives");
            writer.kill();
            EndOfPipeException e = assertThrows(EndOfPipeException.class, a::recvBytes);
            assertTrue(e.getMessage().contains("middle of a message"), e.getMessage());
            EndOfPipeException again = assertThrows(EndOfPipeException.class, a::recvBytes);
            assertTrue(again.getMessage().contains("every message has been received"), again.getMessage());
        }
    }

    @Test
    void shouldFailSenderWithBrokenPipeWhenReaderIsKilled() throws Exception {
        try (Children children = new Children();
                Connection<byte[]> b = Pipe.end(ns, "deadreader", Pipe.End.B, false, SMALL_RING, Codecs.bytes())) {
            ChildProcess reader = children.start(StuckReader.class, root.childArgs("xpipe"));
            b.sendBytes(new byte[] {1});
            reader.awaitLine("GOT"::equals, Children.JOIN);
            reader.kill();
            assertTrue(reader.join(Children.JOIN));
            BrokenPipeException e = assertThrows(BrokenPipeException.class, () -> {
                for (int i = 0; i < 1_000; i++) {
                    b.sendBytes(new byte[1000]);
                }
            });
            assertTrue(e.getMessage().contains("died"), e.getMessage());
        }
    }
}
