package dev.procsync.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.codec.Codecs;
import dev.procsync.process.ChildProcess;
import dev.procsync.sync.Event;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Connections#wait}: many pipe ends, peers in other processes. */
class ConnectionsTest {
    static final int PIPES = 3;
    static final int CAPACITY = 4096;

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("connwait");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    private List<Connection<String>> readers() {
        List<Connection<String>> readers = new ArrayList<>();
        for (int i = 0; i < PIPES; i++) {
            readers.add(Pipe.end(ns, "p" + i, Pipe.End.A, false, CAPACITY, Codecs.utf8()));
        }
        return readers;
    }

    /**
     * Child: opens the writing ends of pipes p0..p2, says READY, then on event "go" sends "hello" on
     * the pipe named by args[2] and waits (it is killed, or told to close all by event "bye").
     */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Event go = ns.event("go"); Event bye = ns.event("bye")) {
                List<Connection<String>> writers = new ArrayList<>();
                for (int i = 0; i < PIPES; i++) {
                    writers.add(Pipe.end(ns, "p" + i, Pipe.End.B, false, CAPACITY, Codecs.utf8()));
                }
                System.out.println("READY");
                go.await();
                writers.get(Integer.parseInt(args[2])).send("hello");
                bye.await();
                for (Connection<String> w : writers) {
                    w.close();
                }
            }
        }
    }

    @Test
    void shouldReturnTheEndThatAnotherProcessSendsOnWhileWaitingOnAll() throws Exception {
        List<Connection<String>> readers = readers();
        try (Children children = new Children(); Event go = ns.event("go"); Event bye = ns.event("bye")) {
            ChildProcess writer = children.start(Writer.class, root.childArgs("connwait", "1"));
            writer.awaitLine("READY"::equals, Children.JOIN);
            assertEquals(List.of(), Connections.wait(readers, Duration.ZERO), "nothing sent yet");
            assertEquals(List.of(), Connections.wait(readers, Duration.ofMillis(50)), "a timeout returns none");
            go.set();
            List<Connection<String>> ready = Connections.wait(readers, Children.JOIN);
            assertEquals(List.of(readers.get(1)), ready);
            assertEquals("hello", ready.get(0).recv());
            bye.set();
            // The writer closes every end: each reader is now ready with end of stream.
            assertEquals(0, writer.joinExitCode(Children.JOIN), writer.output());
            assertEquals(readers, Connections.wait(readers));
            assertThrows(EndOfPipeException.class, () -> readers.get(0).recv());
        } finally {
            readers.forEach(Connection::close);
        }
    }

    @Test
    void shouldWakeForASendOnTheFallbackPathWithoutFutexWaitv() throws Exception {
        List<Connection<String>> readers = readers();
        try (Children children = new Children(); Event go = ns.event("go"); Event bye = ns.event("bye")) {
            ChildProcess writer = children.start(Writer.class, root.childArgs("connwait", "2"));
            writer.awaitLine("READY"::equals, Children.JOIN);
            go.set();
            List<Connection<String>> ready = Connections.waitUntil(readers,
                    Deadline.of(Children.JOIN, "test"), false);
            assertEquals(List.of(readers.get(2)), ready);
            assertEquals("hello", ready.get(0).recv());
            bye.set();
            assertEquals(0, writer.joinExitCode(Children.JOIN), writer.output());
        } finally {
            readers.forEach(Connection::close);
        }
    }

    @Test
    void shouldReturnTheEndsOfAPeerProcessThatDiesWithoutSending() throws Exception {
        List<Connection<String>> readers = readers();
        try (Children children = new Children()) {
            ChildProcess writer = children.start(Writer.class, root.childArgs("connwait", "0"));
            writer.awaitLine("READY"::equals, Children.JOIN);
            writer.kill();
            assertTrue(writer.join(Children.JOIN));
            assertEquals(readers, Connections.wait(readers, Children.JOIN), "a dead peer means end of stream");
        } finally {
            readers.forEach(Connection::close);
        }
    }

    @Test
    void shouldRejectBadArguments() throws InterruptedException {
        List<Connection<String>> readers = readers();
        try (Connection<String> writeOnly = Pipe.end(ns, "p0", Pipe.End.B, false, CAPACITY, Codecs.utf8())) {
            assertThrows(IllegalArgumentException.class, () -> Connections.wait(List.of(), Duration.ZERO));
            assertTrue(Connections.wait(readers, Duration.ofMillis(-1)).isEmpty(), "a negative timeout only checks");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Connections.wait(List.of(writeOnly), Duration.ofMillis(10)));
            assertTrue(e.getMessage().contains("p0"), e.getMessage());
            readers.get(2).close();
            assertThrows(dev.procsync.ClosedException.class, () -> Connections.wait(readers, Duration.ofMillis(10)));
        } finally {
            readers.forEach(Connection::close);
        }
    }
}
