package dev.procsync.reactive.shm;

import dev.procsync.Namespace;
import dev.procsync.codec.Codecs;
import dev.procsync.channel.Connection;
import dev.procsync.channel.Pipe;
import dev.procsync.process.ChildProcess;
import dev.procsync.reactive.ReactiveConnection;
import dev.procsync.reactive.ReactivePipe;
import dev.procsync.reactive.conformance.ReactiveConnectionContract;
import dev.procsync.reactive.testing.Ns;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import dev.procsync.channel.BrokenPipeException;
import dev.procsync.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

class ShmConnectionTest extends ReactiveConnectionContract {
    private final Ns ns = new Ns("rxpipe");

    @Override
    protected ReactivePipe<String> open(String name) {
        return ns.rx.pipe(name, true, Codecs.utf8());
    }

    @Override
    protected void tearDown() {
        ns.close();
    }

    /** Child (blocking API): sends "m0".."m9" from the second end of "x" and closes it. */
    public static final class Sender {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Connection<String> end = Pipe.end(ns, "x", Pipe.End.B,
                    false, Pipe.DEFAULT_CAPACITY, Codecs.utf8())) {
                for (int i = 0; i < 10; i++) {
                    end.send("m" + i);
                }
            }
        }
    }

    @Test
    void shouldReceiveWhatAnotherProcessSendsUntilItCloses() throws Exception {
        try (Children children = new Children();
                ReactiveConnection<String> reader = ns.rx.connection("x", true, false, Codecs.utf8())) {
            children.start(Sender.class, ns.root.childArgs("rxpipe"));
            StepVerifier.create(reader.receive().collectList())
                    .assertNext(l -> org.junit.jupiter.api.Assertions.assertEquals(
                            List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"), l))
                    .expectComplete()
                    .verify(Children.JOIN);
            children.joinAllSuccessfully();
        }
    }

    static final int SMALL_RING = 256;

    /** 40-character messages: a 48-byte frame, so a 256-byte ring holds five. */
    static String message(int i) {
        return String.format("%040d", i);
    }

    /**
     * Child (blocking API): opens the first (reading) end of one-way pipe "full" with a 256-byte ring
     * and says READY; then, once event "go" is set, receives until end of file and prints each
     * message. args: root, ns.
     */
    public static final class SlowReader {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Event go = ns.event("go");
                    Connection<String> end = Pipe.end(ns, "full", Pipe.End.A, false, SMALL_RING, Codecs.utf8())) {
                System.out.println("READY");
                go.await();
                while (true) {
                    try {
                        System.out.println("GOT " + end.recv());
                    } catch (dev.procsync.channel.EndOfPipeException eof) {
                        System.out.println("EOF");
                        return;
                    }
                }
            }
        }
    }

    private static boolean someThreadIsInABlockingSend() {
        return Thread.getAllStackTraces().values().stream().flatMap(java.util.Arrays::stream)
                .anyMatch(f -> f.getClassName().equals(Connection.class.getName())
                        && f.getMethodName().equals("send0"));
    }

    @Test
    void shouldCompleteSendsFacingAFullPipeInOrderOnceAnotherProcessReadsWithoutBlockingAThread()
            throws Exception {
        ReactiveConnection<String> writer = ns.rx.connection("full", false, false, SMALL_RING, Codecs.utf8());
        try (Children children = new Children(); Event go = ns.ns.event("go")) {
            ChildProcess reader = children.start(SlowReader.class, ns.root.childArgs("rxpipe"));
            reader.awaitLine("READY"::equals, Children.JOIN);
            List<Integer> completed = new CopyOnWriteArrayList<>();
            List<Disposable> sends = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                sends.add(writer.send(message(n)).subscribe(null, e -> completed.add(-1), () -> completed.add(n)));
            }
            // Five fit; the cancelled one (index 7) must send nothing, the other 14 wait for the reader.
            sends.get(7).dispose();
            long fitDeadline = System.nanoTime() + Children.JOIN.toNanos();
            while (completed.size() < 5 && System.nanoTime() < fitDeadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            // Nobody reads yet, so no other send can complete: the ring holds exactly five frames.
            org.junit.jupiter.api.Assertions.assertEquals(List.of(0, 1, 2, 3, 4), completed.stream().sorted().toList(),
                    "five frames fit");
            org.junit.jupiter.api.Assertions.assertFalse(someThreadIsInABlockingSend(),
                    "a send waiting for room must not hold a thread");
            go.set();
            long deadline = System.nanoTime() + Children.JOIN.toNanos();
            while (completed.size() < 19 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            List<Integer> expected = IntStream.range(0, 20).filter(i -> i != 7).boxed().toList();
            // Completions are signalled on the Scheduler's threads, so their callbacks may interleave;
            // the order that counts is the pipe's, checked below.
            org.junit.jupiter.api.Assertions.assertEquals(expected, completed.stream().sorted().toList(),
                    "every send but the cancelled one completes");
            writer.close();
            org.junit.jupiter.api.Assertions.assertEquals(0, reader.joinExitCode(Children.JOIN), reader.output());
            List<String> got = reader.output().lines().filter(l -> l.startsWith("GOT ")).map(l -> l.substring(4))
                    .toList();
            org.junit.jupiter.api.Assertions.assertEquals(expected.stream().map(ShmConnectionTest::message).toList(),
                    got, "every message once, in subscription order, and nothing of the cancelled send");
        } finally {
            writer.close();
        }
    }

    @Test
    void shouldFailAPendingSendWhenTheReadingProcessDies() throws Exception {
        try (Children children = new Children();
                ReactiveConnection<String> writer = ns.rx.connection("full", false, false, SMALL_RING,
                        Codecs.utf8())) {
            ChildProcess reader = children.start(SlowReader.class, ns.root.childArgs("rxpipe"));
            reader.awaitLine("READY"::equals, Children.JOIN);
            for (int i = 0; i < 5; i++) {
                writer.send(message(i)).block(Duration.ofSeconds(10));
            }
            StepVerifier.create(writer.send(message(5)))
                    .expectSubscription()
                    .then(reader::kill)
                    .expectError(BrokenPipeException.class)
                    .verify(Children.JOIN);
        }
    }
}
