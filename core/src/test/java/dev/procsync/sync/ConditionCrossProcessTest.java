package dev.procsync.sync;

import dev.procsync.layout.HeaderLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConditionCrossProcessTest {
    static final int BOX = HeaderLayout.LENGTH;
    static final int ITEMS = 300;

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("xcond");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    static Segment box(Namespace ns) {
        return ns.createOrOpen("box", SegmentSpec.of(SegmentKind.VALUE, 8), s -> { });
    }

    /** Child: takes values out of a one-slot box until it gets -1, then prints their sum. */
    public static final class Consumer {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); RLock lock = ns.rlock("m");
                    Condition c = ns.condition("c", lock); Segment box = box(ns)) {
                long sum = 0;
                while (true) {
                    lock.acquire();
                    try {
                        if (!c.awaitUntil(() -> box.getLong(BOX) != 0, Duration.ofSeconds(30))) {
                            throw new AssertionError("no value within 30 s");
                        }
                        long v = box.getLong(BOX);
                        box.setLong(BOX, 0);
                        c.signalAll();
                        if (v < 0) {
                            break;
                        }
                        sum += v;
                    } finally {
                        lock.release();
                    }
                }
                System.out.println("SUM " + sum);
            }
        }
    }

    /** Child: waits on condition "cl" over the plain Lock "pm" and prints whether it was notified. */
    public static final class PlainLockWaiter {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Lock lock = ns.lock("pm");
                    Condition c = ns.condition("cl", lock)) {
                lock.acquire();
                boolean notified = c.await(Duration.ofSeconds(30));
                lock.release();
                System.out.println("NOTIFIED " + notified);
            }
        }
    }

    /** Child: waits on the condition and prints whether it was notified. */
    public static final class Waiter {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); RLock lock = ns.rlock("m");
                    Condition c = ns.condition("c", lock)) {
                lock.acquire();
                boolean notified = c.await(Duration.ofSeconds(30));
                lock.release();
                System.out.println("NOTIFIED " + notified);
            }
        }
    }

    @Test
    void shouldHandValuesFromProducerToConsumerProcessesThroughSignalAll() throws Exception {
        try (Children children = new Children(); RLock lock = ns.rlock("m"); Condition c = ns.condition("c", lock);
                Segment box = box(ns)) {
            ChildProcess a = children.start(Consumer.class, root.childArgs("xcond"));
            ChildProcess b = children.start(Consumer.class, root.childArgs("xcond"));
            for (int v = 1; v <= ITEMS + 2; v++) {
                long value = v <= ITEMS ? v : -1;
                lock.acquire();
                try {
                    assertTrue(c.awaitUntil(() -> box.getLong(BOX) == 0, Duration.ofSeconds(30)),
                            "consumers stopped taking values");
                    box.setLong(BOX, value);
                    c.signalAll();
                } finally {
                    lock.release();
                }
            }
            long sum = 0;
            for (ChildProcess child : new ChildProcess[] {a, b}) {
                String line = child.awaitLine(l -> l.startsWith("SUM "), Children.JOIN);
                sum += Long.parseLong(line.substring(4));
            }
            children.joinAllSuccessfully();
            assertEquals((long) ITEMS * (ITEMS + 1) / 2, sum);
        }
    }

    @Test
    void shouldSignalAWaiterInAnotherProcessOverAPlainLock() throws Exception {
        try (Children children = new Children(); Lock lock = ns.lock("pm"); Condition c = ns.condition("cl", lock)) {
            ChildProcess waiter = children.start(PlainLockWaiter.class, root.childArgs("xcond"));
            Eventually.until("child waiting", () -> c.waiterCount() == 1);
            lock.acquire();
            assertEquals(1, c.signal(1));
            lock.release();
            assertEquals("NOTIFIED true", waiter.awaitLine(l -> l.startsWith("NOTIFIED"), Children.JOIN));
            children.joinAllSuccessfully();
        }
    }

    @Test
    void shouldNotLetAKilledWaiterAbsorbASignal() throws Exception {
        try (Children children = new Children(); RLock lock = ns.rlock("m"); Condition c = ns.condition("c", lock)) {
            ChildProcess doomed = children.start(Waiter.class, root.childArgs("xcond"));
            Eventually.until("first waiter parked", () -> c.waiterCount() == 1);
            doomed.kill();
            doomed.join(Children.JOIN);

            ChildProcess live = children.start(Waiter.class, root.childArgs("xcond"));
            Eventually.until("second waiter parked", () -> c.waiterCount() == 2);
            long start = System.nanoTime();
            lock.acquire();
            assertEquals(1, c.signal(1), "the dead, older waiter must be skipped, the live one woken");
            lock.release();
            String line = live.awaitLine(l -> l.startsWith("NOTIFIED"), Children.JOIN);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("NOTIFIED true", line);
            assertTrue(tookMillis < 10_000, "live waiter woke after " + tookMillis + " ms");
            assertEquals(0, live.joinExitCode(Children.JOIN));
            assertEquals(0, c.waiterCount(), "the dead waiter's slot was reaped");
        }
    }
}
