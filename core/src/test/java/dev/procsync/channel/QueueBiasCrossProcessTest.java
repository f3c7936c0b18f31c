package dev.procsync.channel;

import dev.procsync.layout.QueueLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A producer in a child JVM that holds the claim lock biased: a producer here revokes it while it
 * lives (it then goes on putting through the lock), takes it over once it is killed, and a
 * consumer here asleep on the queue is woken by its fenceless puts.
 */
class QueueBiasCrossProcessTest {
    static final String NS = "xbias";

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open(NS);

    @BeforeEach
    void needsMembarrier() {
        ClaimLockBiasTest.assumeBiasedClaims();
    }

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /**
     * Child: puts "c0".."c299" (earning the bias), prints BIASED, waits for event "more", puts
     * "c300".."c309", prints DONE; with "stay" it waits forever after BIASED instead.
     */
    public static final class BiasedProducer {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            try (Queue<String> q = ns.queue("q", Codecs.utf8()); Event more = ns.event("more")) {
                for (int i = 0; i < 300; i++) {
                    q.put("c" + i);
                }
                System.out.println("BIASED " + q.segment().getIntAcquire(QueueLayout.LOCK));
                if (args.length > 2 && "stay".equals(args[2])) {
                    more.await(Duration.ofMinutes(5)); // never set: killed before
                }
                more.await(Duration.ofMinutes(1));
                for (int i = 300; i < 310; i++) {
                    q.put("c" + i);
                }
                System.out.println("DONE");
            }
        }
    }

    /** Child: after "go", puts 50 messages, each once the parent's consumer has said it sleeps. */
    public static final class PacedProducer {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            try (Queue<String> q = ns.queue("q", Codecs.utf8()); Event go = ns.event("go")) {
                for (int i = 0; i < 300; i++) {
                    q.put("warm" + i);
                }
                go.await(Duration.ofMinutes(1));
                for (int i = 0; i < 50; i++) {
                    awaitSleepingConsumer(q);
                    q.put("m" + i);
                }
            }
        }
    }

    /** Child: puts "0", "1", ... into queue args[2] as fast as it can until killed. */
    public static final class TightProducer {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            Queue<String> q = ns.queue(args[2], Codecs.utf8(), QueueCapacity.bytes(64 << 10));
            System.out.println("READY");
            for (long i = 0; ; i++) {
                q.put(Long.toString(i));
            }
        }
    }

    /**
     * Waits (bounded) until a consumer has set WAITERS on notEmpty: it is past its spin and about
     * to sleep, so the next put must wake it.
     */
    static void awaitSleepingConsumer(Queue<String> q) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((q.segment().getIntAcquire(QueueLayout.NOT_EMPTY) & 1) == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the consumer never went to sleep on notEmpty");
            }
            Thread.onSpinWait();
        }
    }

    private static int biasedWord(ChildProcess child) throws InterruptedException {
        String line = child.awaitLine(l -> l.startsWith("BIASED "), Children.JOIN);
        return Integer.parseInt(line.substring("BIASED ".length()));
    }

    @Test
    void shouldRevokeTheBiasOfALiveProducerInAnotherProcessAndLoseNothing() throws Exception {
        try (Children children = new Children(); Queue<String> q = ns.queue("q", Codecs.utf8());
                Event more = ns.event("more")) {
            ChildProcess child = children.start(BiasedProducer.class, root.childArgs(NS));
            assertEquals((int) child.pid() | QueueLayout.BIASED, biasedWord(child), "the child should hold the bias");
            q.put("parent"); // revokes across processes: membarrier, the child is not inside a claim
            assertEquals(0L, q.segment().getLongAcquire(QueueLayout.BIAS));
            more.set();
            child.awaitLine("DONE"::equals, Children.JOIN);
            children.joinAllSuccessfully();
            List<String> got = new ArrayList<>();
            q.drainTo(got, Integer.MAX_VALUE);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                expected.add("c" + i);
            }
            expected.add("parent");
            for (int i = 300; i < 310; i++) {
                expected.add("c" + i);
            }
            assertEquals(expected, got);
        }
    }

    @Test
    void shouldTakeTheLockOverFromABiasedProducerKilledBetweenPuts() throws Exception {
        try (Children children = new Children(); Queue<String> q = ns.queue("q", Codecs.utf8())) {
            ChildProcess child = children.start(BiasedProducer.class, root.childArgs(NS, "stay"));
            assertEquals((int) child.pid() | QueueLayout.BIASED, biasedWord(child));
            child.kill();
            assertTrue(child.join(Children.JOIN));
            assertTrue(q.offer("after", Duration.ofSeconds(10)), "a dead biased holder must not wedge producers");
            assertEquals(301, q.size());
            assertEquals(0, q.segment().getIntAcquire(QueueLayout.INSIDE));
        }
    }

    @Test
    @Tag("campaign") // twelve kill rounds: excluded by -Pquick, run by every full mvn verify
    void shouldTakeOverFromBiasedProducersKilledAnywhereInATightPutLoop() throws Exception {
        for (int round = 0; round < 12; round++) {
            String name = "tight" + round; // a fresh queue: its producer count starts at 0, so the child biases
            try (Children children = new Children();
                    Queue<String> q = ns.queue(name, Codecs.utf8(), QueueCapacity.bytes(64 << 10))) {
                ChildProcess child = children.start(TightProducer.class, root.childArgs(NS, name));
                child.awaitLine("READY"::equals, Children.JOIN);
                long next = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (next < 2000 + 500L * round) { // kill at a different point each round
                    String m = q.poll(Duration.ofSeconds(30));
                    assertEquals(Long.toString(next++), m, "round " + round);
                    assertTrue(System.nanoTime() < deadline, "the child stopped producing");
                }
                boolean biased = (q.segment().getIntAcquire(QueueLayout.LOCK) & QueueLayout.BIASED) != 0;
                child.kill(); // most likely inside a claim: that is where a tight put loop spends its time
                assertTrue(child.join(Children.JOIN));
                assertTrue(biased, "round " + round + ": the child should have held the bias");
                assertTrue(q.offer("after", Duration.ofSeconds(10)), "round " + round + ": producers wedged");
                assertEquals(0, q.segment().getIntAcquire(QueueLayout.INSIDE));
                List<String> rest = new ArrayList<>();
                q.drainTo(rest, Integer.MAX_VALUE);
                assertEquals("after", rest.get(rest.size() - 1), "round " + round);
                for (String m : rest.subList(0, rest.size() - 1)) {
                    assertEquals(Long.toString(next++), m, "round " + round + ": lost, repeated or reordered");
                }
            }
        }
    }

    @Test
    void shouldWakeAConsumerAsleepOnTheQueueWhenABiasedProducerPuts() throws Exception {
        try (Children children = new Children(); Queue<String> q = ns.queue("q", Codecs.utf8());
                Event go = ns.event("go")) {
            children.start(PacedProducer.class, root.childArgs(NS));
            for (int i = 0; i < 300; i++) {
                assertEquals("warm" + i, q.poll(Duration.ofSeconds(60)));
            }
            assertTrue(q.segment().getLongAcquire(QueueLayout.BIAS) != 0, "the child should hold the bias");
            go.set();
            for (int i = 0; i < 50; i++) {
                // A lost wake-up would not hang (sleeps are sliced) but every message must still come.
                assertEquals("m" + i, q.poll(Duration.ofSeconds(60)));
            }
            children.joinAllSuccessfully();
        }
    }
}
