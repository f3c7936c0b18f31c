package dev.procsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.ClosedException;
import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.segment.Segment;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code acquire(n)} / {@code tryAcquire(n, timeout)} on both semaphore kinds, in threads and processes. */
class SemaphoreAcquireManyTest {
    /** Blocked waiters need threads of their own: the common pool may have one thread on 2 CPUs. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    static final int PERMITS = 3;

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("many");

    @AfterEach
    void cleanUp() {
        threads.shutdownNow();
        ns.close();
        root.close();
    }

    @Test
    void shouldTakeAllOrNone() throws InterruptedException {
        try (Semaphore sem = ns.semaphore("s", 5); BoundedSemaphore bounded = ns.boundedSemaphore("b", 5)) {
            for (CountingSemaphore s : List.<CountingSemaphore>of(sem, bounded)) {
                s.acquire(3);
                assertEquals(2, s.availablePermits());
                assertFalse(s.tryAcquire(3), "only two are free: none may be taken");
                assertEquals(2, s.availablePermits());
                assertFalse(s.tryAcquire(3, Duration.ofMillis(20)));
                assertFalse(s.tryAcquire(3, 1, TimeUnit.MILLISECONDS));
                assertEquals(2, s.availablePermits());
                assertTrue(s.tryAcquire(2, Duration.ZERO));
                s.release(5);
                assertTrue(s.tryAcquire(5, 0, TimeUnit.SECONDS));
                assertEquals(0, s.availablePermits());
                s.release(5);
                assertTrue(s.tryAcquire(1));
                s.release();
            }
            assertEquals(0, sem.sleepers());
            assertEquals(0, bounded.sleepers());
        }
    }

    @Test
    void shouldRejectBadCountsNamingTheSemaphore() {
        try (Semaphore sem = ns.semaphore("s", 2); BoundedSemaphore bounded = ns.boundedSemaphore("b", 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sem.acquire(0));
            assertTrue(e.getMessage().contains("'s'") && e.getMessage().contains(": 0"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> sem.tryAcquire(-1));
            assertThrows(IllegalArgumentException.class, () -> sem.tryAcquire(0, Duration.ofSeconds(1)));
            assertThrows(IllegalArgumentException.class, () -> sem.armAcquire(0));
            e = assertThrows(IllegalArgumentException.class, () -> bounded.acquire(3));
            assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("bound is 2"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> bounded.tryAcquire(3, 1, TimeUnit.SECONDS));
            assertThrows(NullPointerException.class, () -> sem.tryAcquire(2, (Duration) null));
            assertEquals(2, sem.availablePermits());
            assertEquals(2, bounded.availablePermits());
        }
    }

    @Test
    void shouldNotLetAManyPermitWaiterStrandASinglePermitWaiter() throws Exception {
        try (Semaphore sem = ns.semaphore("s", 0)) {
            CompletableFuture<Void> many = CompletableFuture.runAsync(() -> acquire(sem, 3), threads);
            Waits.until("many waiter", sem::sleepers, 1);
            CompletableFuture<Void> one = CompletableFuture.runAsync(() -> acquire(sem, 1), threads);
            Waits.until("both waiters", sem::sleepers, 2);
            sem.release(); // a targeted wake-up could reach the waiter for 3, which must not keep it
            one.get(Waits.BOUND.toMillis(), TimeUnit.MILLISECONDS);
            assertFalse(many.isDone());
            sem.release(2);
            assertFalse(many.isDone(), "two permits are not three");
            sem.release();
            many.get(Waits.BOUND.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(0, sem.availablePermits());
            assertEquals(0, sem.sleepers());
        }
    }

    @Test
    void shouldGiveUpOnTimeoutOrInterruptTakingNothing() throws Exception {
        try (BoundedSemaphore sem = ns.boundedSemaphore("b", 3)) {
            sem.acquire(2);
            assertFalse(sem.tryAcquire(2, Duration.ofMillis(30)));
            assertEquals(1, sem.availablePermits());
            Thread waiter = new Thread(() -> {
                try {
                    sem.acquire(3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            waiter.start();
            Waits.until("waiter", sem::sleepers, 1);
            waiter.interrupt();
            waiter.join(Waits.BOUND.toMillis());
            assertFalse(waiter.isAlive());
            assertEquals(1, sem.availablePermits());
            assertEquals(0, sem.sleepers());
            sem.release(2);
            assertTrue(sem.tryAcquire(3));
        }
    }

    @Test
    void shouldWakeManyPermitWaitersWithClosedExceptionOnClose() throws Exception {
        Semaphore sem = ns.semaphore("s", 1);
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return sem.tryAcquire(2, Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, threads);
        Waits.until("waiter", sem::sleepers, 1);
        sem.close();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> waiter.get(Waits.BOUND.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(e.getCause() instanceof ClosedException, e.toString());
    }

    @Test
    void shouldCompleteAManyPermitWatchOnlyWithAllPermits() {
        try (Semaphore sem = ns.semaphore("s", 1)) {
            Watch watch = sem.armAcquire(3);
            assertFalse(watch.tryComplete());
            assertEquals(1, watch.expected(), "a many-permit watch sleeps on the count it last saw");
            sem.release();
            assertFalse(watch.tryComplete());
            assertEquals(2, watch.expected());
            sem.release();
            assertTrue(watch.tryComplete());
            assertEquals(0, sem.availablePermits());
            assertEquals(0, sem.sleepers());
            Watch cancelled = sem.armAcquire(2);
            cancelled.close();
            assertEquals(0, sem.sleepers());
        }
    }

    private static void acquire(Semaphore sem, int n) {
        try {
            sem.acquire(n);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Child: after the start gate, takes 1..3 permits of "s" at a time (blocking or timed), records
     * how many permits all holders hold together, and gives them back.
     */
    public static final class Hammer {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Semaphore sem = ns.semaphore("s", PERMITS);
                    Event go = ns.event("go"); Segment stats = SemaphoreCrossProcessTest.stats(ns)) {
                int n = Integer.parseInt(args[2]);
                SplittableRandom random = new SplittableRandom(Long.parseLong(args[3]));
                System.out.println("READY");
                go.await();
                for (int i = 0; i < n; i++) {
                    int want = 1 + random.nextInt(PERMITS);
                    if (i % 2 == 0) {
                        sem.acquire(want);
                    } else if (!sem.tryAcquire(want, Duration.ofSeconds(30))) {
                        throw new AssertionError("no " + want + " permits within 30 s");
                    }
                    int held = stats.getAndAddInt(SemaphoreCrossProcessTest.CURRENT, want) + want;
                    int max = stats.getIntAcquire(SemaphoreCrossProcessTest.MAX);
                    while (held > max && !stats.compareAndSetInt(SemaphoreCrossProcessTest.MAX, max, held)) {
                        max = stats.getIntAcquire(SemaphoreCrossProcessTest.MAX);
                    }
                    stats.getAndAddInt(SemaphoreCrossProcessTest.CURRENT, -want);
                    stats.getAndAddInt(SemaphoreCrossProcessTest.TOTAL, 1);
                    sem.release(want);
                }
            }
        }
    }

    /** Child: waits for {@code args[2]} permits of "w", says so, and exits holding them. */
    public static final class ManyAcquirer {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Semaphore sem = ns.semaphore("w", 0)) {
                System.out.println("WAITING");
                sem.acquire(Integer.parseInt(args[2]));
                System.out.println("GOT");
            }
        }
    }

    @Test
    void shouldConservePermitsWithThreeProcessesTakingSeveralAtOnce() throws Exception {
        int iterations = 5_000;
        try (Children children = new Children(); Semaphore sem = ns.semaphore("s", PERMITS);
                Event go = ns.event("go"); Segment stats = SemaphoreCrossProcessTest.stats(ns)) {
            for (int i = 0; i < 3; i++) {
                children.start(Hammer.class, root.childArgs("many", Integer.toString(iterations), Integer.toString(i)));
            }
            for (ChildProcess child : children.all()) {
                child.awaitLine("READY"::equals, Children.JOIN);
            }
            go.set();
            children.joinAllSuccessfully();
            assertEquals(3 * iterations, stats.getIntAcquire(SemaphoreCrossProcessTest.TOTAL));
            int max = stats.getIntAcquire(SemaphoreCrossProcessTest.MAX);
            assertTrue(max >= 1 && max <= PERMITS, "at most " + PERMITS + " permits held at once, saw " + max);
            assertEquals(PERMITS, sem.availablePermits());
        }
    }

    @Test
    void shouldWakeAManyPermitWaiterInAnotherProcessOnlyWhenAllAreFree() throws Exception {
        AtomicInteger got = new AtomicInteger();
        try (Children children = new Children(); Semaphore sem = ns.semaphore("w", 0)) {
            ChildProcess many = children.start(ManyAcquirer.class, root.childArgs("many", "3"));
            many.awaitLine("WAITING"::equals, Children.JOIN);
            Waits.until("child sleeping", sem::sleepers, 1);
            CompletableFuture<Void> one = CompletableFuture.runAsync(() -> {
                acquire(sem, 1);
                got.incrementAndGet();
            }, threads);
            Waits.until("both sleeping", sem::sleepers, 2);
            sem.release(2); // the thread takes one; one is left, not enough for the child
            one.get(Waits.BOUND.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(1, got.get());
            assertTrue(many.isAlive());
            sem.release(2);
            many.awaitLine("GOT"::equals, Children.JOIN);
            children.joinAllSuccessfully();
            assertEquals(0, sem.availablePermits());
        }
    }
}
