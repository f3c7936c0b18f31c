package dev.procsync.sync;

import dev.procsync.layout.HeaderLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SemaphoreCrossProcessTest {
    static final int PERMITS = 2;
    static final int CURRENT = HeaderLayout.LENGTH;
    static final int MAX = CURRENT + 4;
    static final int TOTAL = CURRENT + 8;

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("xsem");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    static Segment stats(Namespace ns) {
        return ns.createOrOpen("stats", SegmentSpec.of(SegmentKind.VALUE, 16), s -> { });
    }

    /** Child: after the start gate, acquires and releases the semaphore, tracking concurrent holders. */
    public static final class Hammer {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Semaphore sem = ns.semaphore("s", PERMITS);
                    Event go = ns.event("go"); Segment stats = stats(ns)) {
                int n = Integer.parseInt(args[2]);
                System.out.println("READY");
                go.await();
                for (int i = 0; i < n; i++) {
                    if (i % 3 == 0) {
                        if (!sem.tryAcquire(Duration.ofSeconds(30))) {
                            throw new AssertionError("no permit within 30 s");
                        }
                    } else {
                        sem.acquire();
                    }
                    int holders = stats.getAndAddInt(CURRENT, 1) + 1;
                    int max = stats.getIntAcquire(MAX);
                    while (holders > max && !stats.compareAndSetInt(MAX, max, holders)) {
                        max = stats.getIntAcquire(MAX);
                    }
                    for (int spin = 0; spin < 20; spin++) {
                        Thread.onSpinWait();
                    }
                    stats.getAndAddInt(CURRENT, -1);
                    stats.getAndAddInt(TOTAL, 1);
                    sem.release();
                }
            }
        }
    }

    /** Child: acquires one permit of "w" (blocking), says so, and exits holding it. */
    public static final class Acquirer {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Semaphore sem = ns.semaphore("w", 0)) {
                System.out.println("WAITING");
                sem.acquire();
                System.out.println("GOT");
            }
        }
    }

    /** Child: releases {@code args[2]} permits of "w" in one call. */
    public static final class Releaser {
        public static void main(String[] args) {
            try (Namespace ns = TempRoot.openFromArgs(args); Semaphore sem = ns.semaphore("w", 0)) {
                sem.release(Integer.parseInt(args[2]));
            }
        }
    }

    /**
     * Child: after the start gate, takes and gives back permits of the bounded semaphore "b" (bound
     * 1) {@code args[2]} times, releasing whether or not it took one, and reports how many acquires
     * and releases succeeded and the highest count it saw.
     */
    public static final class BoundedReleaser {
        public static void main(String[] args) throws Exception {
            int n = Integer.parseInt(args[2]);
            try (Namespace ns = TempRoot.openFromArgs(args); BoundedSemaphore sem = ns.boundedSemaphore("b", 1);
                    Event go = ns.event("go")) {
                System.out.println("READY");
                go.await();
                int acquired = 0;
                int released = 0;
                int highest = 0;
                for (int i = 0; i < n; i++) {
                    if (sem.tryAcquire()) {
                        acquired++;
                    }
                    try {
                        sem.release();
                        released++;
                    } catch (IllegalStateException e) {
                        // at the bound: rejected, nothing changed
                    }
                    highest = Math.max(highest, sem.availablePermits());
                }
                System.out.println("RESULT " + acquired + " " + released + " " + highest);
            }
        }
    }

    @Test
    void shouldNeverExceedPermitsWithThreeProcessesHammering() throws Exception {
        int iterations = 20_000;
        try (Children children = new Children(); Semaphore sem = ns.semaphore("s", PERMITS);
                Event go = ns.event("go"); Segment stats = stats(ns)) {
            for (int i = 0; i < 3; i++) {
                children.start(Hammer.class, root.childArgs("xsem", Integer.toString(iterations)));
            }
            for (ChildProcess child : children.all()) {
                child.awaitLine("READY"::equals, Children.JOIN);
            }
            go.set();
            children.joinAllSuccessfully();
            assertEquals(3 * iterations, stats.getIntAcquire(TOTAL));
            int max = stats.getIntAcquire(MAX);
            assertTrue(max >= 1 && max <= PERMITS, "at most " + PERMITS + " holders at once, saw " + max);
            assertEquals(PERMITS, sem.availablePermits());
            assertEquals(0, sem.sleepers(), "every waiter must have unregistered");
        }
    }

    @Test
    void shouldWakeWaitersInOtherProcessesOnReleaseN() throws Exception {
        try (Children children = new Children(); Semaphore sem = ns.semaphore("w", 0)) {
            List<ChildProcess> acquirers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                acquirers.add(children.start(Acquirer.class, root.childArgs("xsem")));
            }
            Waits.until("sleepers", sem::sleepers, 3);
            sem.release(2);
            int exited = 0;
            long deadline = System.nanoTime() + Children.JOIN.toNanos();
            while (exited < 2 && System.nanoTime() - deadline < 0) {
                exited = 0;
                for (ChildProcess child : acquirers) {
                    exited += child.join(Duration.ofMillis(20)) ? 1 : 0;
                }
            }
            assertEquals(2, exited, "release(2) lets exactly two of three waiting processes through");
            assertEquals(0, sem.availablePermits());
            ChildProcess last = acquirers.stream().filter(ChildProcess::isAlive).findFirst().orElseThrow();
            assertFalse(last.join(Duration.ofMillis(100)), "the third must still wait");
            sem.release();
            children.joinAllSuccessfully();
            for (ChildProcess child : acquirers) {
                assertTrue(child.output().contains("GOT"), child.output());
            }
            assertEquals(0, sem.availablePermits());
        }
    }

    @Test
    void shouldWakeUnboundedSleepersHereWhenAnotherProcessReleases() throws Exception {
        try (Children children = new Children(); Semaphore sem = ns.semaphore("w", 0);
                WatchTest.UnboundedSleepers sleepers = new WatchTest.UnboundedSleepers()) {
            for (int i = 0; i < 3; i++) {
                sleepers.start(sem.armAcquire());
            }
            children.start(Releaser.class, root.childArgs("xsem", "2"));
            children.joinAllSuccessfully();
            Waits.until("completed watches", sleepers.completed::get, 2);
            assertEquals(2, sleepers.completed.get());
            children.start(Releaser.class, root.childArgs("xsem", "1"));
            children.joinAllSuccessfully();
            Waits.until("completed watches", sleepers.completed::get, 3);
            assertEquals(0, sem.sleepers());
        }
    }

    @Test
    void shouldNeverPassTheBoundWhenTwoProcessesReleaseConcurrently() throws Exception {
        try (Children children = new Children(); BoundedSemaphore sem = ns.boundedSemaphore("b", 1);
                Event go = ns.event("go")) {
            for (int i = 0; i < 2; i++) {
                children.start(BoundedReleaser.class, root.childArgs("xsem", "200000"));
            }
            for (ChildProcess child : children.all()) {
                child.awaitLine("READY"::equals, Children.JOIN);
            }
            go.set();
            children.joinAllSuccessfully();
            int acquired = 0;
            int released = 0;
            for (ChildProcess child : children.all()) {
                String[] result = child.awaitLine(l -> l.startsWith("RESULT "), Children.JOIN).split(" ");
                acquired += Integer.parseInt(result[1]);
                released += Integer.parseInt(result[2]);
                assertEquals("1", result[3], "the count rose above its bound in " + child);
            }
            assertEquals(1 + released - acquired, sem.availablePermits(), "every successful release counted once");
            assertTrue(sem.availablePermits() <= 1);
        }
    }

    @Test
    void shouldNotLetAKilledWaiterAbsorbARelease() throws Exception {
        try (Children children = new Children(); Semaphore sem = ns.semaphore("w", 0);
                WatchTest.UnboundedSleepers survivor = new WatchTest.UnboundedSleepers()) {
            ChildProcess doomed = children.start(Acquirer.class, root.childArgs("xsem"));
            Waits.until("sleepers", sem::sleepers, 1);
            doomed.kill();
            assertTrue(doomed.join(Children.JOIN));
            assertEquals(1, sem.sleepers(), "a killed waiter cannot unregister: the count drifts high");
            survivor.start(sem.armAcquire());
            sem.release(); // wakes min(1, 2) = 1: the dead waiter is gone from the kernel's queue
            Waits.until("completed watches", survivor.completed::get, 1);
            assertEquals(0, sem.availablePermits());
            sem.release(2);
            assertTrue(sem.tryAcquire(Duration.ofSeconds(5)));
            assertTrue(sem.tryAcquire());
            assertEquals(1, sem.sleepers(), "the only cost of the dead waiter is a needless FUTEX_WAKE");
        }
    }

    /** Child: takes the one permit of "w" it is given, says so, and holds it until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            Semaphore sem = ns.semaphore("w", 1);
            sem.acquire();
            System.out.println("HELD");
            new java.util.concurrent.CountDownLatch(1).await();
        }
    }

    @Test
    void shouldLoseThePermitOfAKilledHolderAsPythonDoes() throws Exception {
        try (Children children = new Children(); Semaphore sem = ns.semaphore("w", 1)) {
            ChildProcess holder = children.start(Holder.class, root.childArgs("xsem"));
            holder.awaitLine("HELD"::equals, Children.JOIN);
            holder.kill();
            assertTrue(holder.join(Children.JOIN));
            assertEquals(0, sem.availablePermits(), "a semaphore has no owner: nothing gives the permit back");
            assertFalse(sem.tryAcquire(Duration.ofMillis(50)));
            sem.release(); // the application decides; any process may release
            assertTrue(sem.tryAcquire());
        }
    }
}
