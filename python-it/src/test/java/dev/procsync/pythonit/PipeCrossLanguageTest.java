package dev.procsync.pythonit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.channel.Connection;
import dev.procsync.channel.EndOfPipeException;
import dev.procsync.channel.Pipe;
import dev.procsync.codec.Codecs;
import dev.procsync.process.ChildProcess;
import dev.procsync.pythonit.Python.Backend;
import dev.procsync.pythonit.Python.Peer;
import dev.procsync.sync.Event;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Pipe with a JVM end and a Python end: messages both ways in order (small, and larger than the
 * ring), and end of stream or a broken pipe when the other end closes or its process dies.
 */
class PipeCrossLanguageTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("xpipe");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /** Child JVM: opens end A of pipe {@code args[2]}, sends two messages, says so, and waits to be killed. */
    public static final class SendThenHang {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            Connection<String> a = Pipe.end(ns, args[2], Pipe.End.A, true, 4096, Codecs.utf8());
            a.send("one");
            a.send("two");
            ns.event("sent").set();
            Thread.sleep(600_000);
        }
    }

    @Test
    void shouldEchoMessagesInOrderThroughAPythonEndThenSeeItsEndOfStream() throws Exception {
        Random random = new Random(14);
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int size = i % 50 == 7 ? Pipe.DEFAULT_CAPACITY * 2 + random.nextInt(1000) : random.nextInt(200);
            byte[] m = new byte[size];
            random.nextBytes(m);
            messages.add(m);
        }
        for (Backend backend : Backend.values()) {
            Python.assumeBackend(backend);
            String name = "echo-" + backend;
            Connection<byte[]> a = Pipe.end(ns, name, Pipe.End.A, true);
            try (Peer echo = Python.peer(backend, root.path(), "xpipe", "pipe-echo", name)) {
                echo.awaitLine("OPEN", Python.JOIN);
                CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                    try {
                        for (byte[] m : messages) {
                            a.sendBytes(m);
                        }
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                for (int i = 0; i < messages.size(); i++) {
                    assertArrayEquals(messages.get(i), a.recvBytes(), backend + ": echo of message " + i);
                }
                sender.get(60, TimeUnit.SECONDS);
                a.close();
                assertTrue(echo.awaitLine("EOF", Python.JOIN).startsWith("EOF " + messages.size() + " "),
                        backend + ": the Python end saw end of stream after every message");
                echo.joinSuccessfully();
            } finally {
                a.close();
            }
        }
    }

    @Test
    void shouldDeliverWhatAPythonEndSentBeforeItWasKilledThenEndOfStream() throws Exception {
        for (Backend backend : Backend.values()) {
            Python.assumeBackend(backend);
            String name = "die-" + backend;
            try (Connection<String> a = Pipe.end(ns, name, Pipe.End.A, true, Pipe.DEFAULT_CAPACITY, Codecs.utf8());
                    Peer sender = Python.peer(backend, root.path(), "xpipe", "pipe-send-die", name, "1000")) {
                sender.awaitLine("SENT", Python.JOIN);
                for (int i = 0; i < 1000; i++) {
                    assertEquals("message " + i, a.recv(), backend.toString());
                }
                EndOfPipeException eof = assertThrows(EndOfPipeException.class, a::recv, backend.toString());
                assertTrue(eof.getMessage().contains("died"), eof.getMessage());
            }
        }
    }

    @Test
    void shouldGiveAPythonEndEndOfStreamAndABrokenPipeWhenTheJvmEndIsKilled() throws Exception {
        for (Backend backend : Backend.values()) {
            Python.assumeBackend(backend);
            String name = "kill-" + backend;
            try (Event sent = ns.event("sent"); Children jvms = new Children();
                    Peer drain = Python.peer(backend, root.path(), "xpipe", "pipe-drain", name)) {
                sent.clear();
                ChildProcess holder = jvms.start(SendThenHang.class, root.childArgs("xpipe", name));
                assertTrue(sent.await(Duration.ofSeconds(60)), "JVM end sent: " + holder.output());
                holder.kill();
                String eof = drain.awaitLine("EOF", Python.JOIN);
                assertTrue(eof.startsWith("EOF [\"one\", \"two\"] ") && eof.contains("died"), backend + ": " + eof);
                String broken = drain.awaitLine("BROKEN", Python.JOIN);
                assertTrue(broken.contains("died"), backend + ": " + broken);
                drain.joinSuccessfully();
            }
        }
    }
}
