package dev.procsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.ClosedException;
import dev.procsync.Namespace;
import dev.procsync.SegmentMismatchException;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SemaphoreTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("sems");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    @Test
    void shouldCountPermitsDownAndUp() throws InterruptedException {
        try (Semaphore sem = ns.semaphore("s", 2)) {
            assertEquals(2, sem.availablePermits());
            sem.acquire();
            assertTrue(sem.tryAcquire());
            assertFalse(sem.tryAcquire());
            assertEquals(0, sem.availablePermits());
            sem.release();
            assertEquals(1, sem.availablePermits());
            sem.release(3);
            assertEquals(4, sem.availablePermits(), "a plain semaphore may rise above its initial value");
            assertEquals(2, sem.initialPermits());
        }
    }

    @Test
    void shouldShareCountBetweenHandlesAndKeepItOnReopen() throws InterruptedException {
        try (Semaphore a = ns.semaphore("s", 1)) {
            a.acquire();
            try (Semaphore b = ns.semaphore("s", 1)) {
                assertEquals(0, b.availablePermits(), "attaching must never re-initialise");
                assertFalse(b.tryAcquire());
                b.release(); // any handle may release, as in multiprocessing
            }
            assertTrue(a.tryAcquire());
        }
    }

    @Test
    void shouldAllowZeroInitialPermits() {
        try (Semaphore sem = ns.semaphore("zero", 0)) {
            assertFalse(sem.tryAcquire());
            sem.release();
            assertTrue(sem.tryAcquire());
        }
    }

    @Test
    void shouldRejectNegativeInitialPermits() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ns.semaphore("neg", -1));
        assertTrue(e.getMessage().contains("'neg'") && e.getMessage().contains("-1"), e.getMessage());
        assertFalse(ns.exists("neg"), "nothing may be created for bad input");
    }

    @Test
    void shouldRejectReopenWithOtherPermits() {
        try (Semaphore sem = ns.semaphore("s", 3)) {
            SegmentMismatchException e = assertThrows(SegmentMismatchException.class, () -> ns.semaphore("s", 4));
            assertTrue(e.getMessage().contains("permits=3") && e.getMessage().contains("permits=4"), e.getMessage());
            assertEquals(3, sem.availablePermits());
        }
    }

    @Test
    void shouldRejectReopenAsOtherKind() {
        try (Semaphore sem = ns.semaphore("s", 1); Lock lock = ns.lock("l")) {
            assertThrows(SegmentMismatchException.class, () -> ns.lock("s"));
            assertThrows(SegmentMismatchException.class, () -> ns.boundedSemaphore("s", 1));
            assertThrows(SegmentMismatchException.class, () -> ns.event("s"));
            SegmentMismatchException e = assertThrows(SegmentMismatchException.class, () -> ns.semaphore("l", 1));
            assertTrue(e.getMessage().contains("LOCK") && e.getMessage().contains("SEMAPHORE"), e.getMessage());
            assertEquals(1, sem.availablePermits());
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void shouldRejectBadArguments() {
        try (Semaphore sem = ns.semaphore("s", 1)) {
            assertThrows(NullPointerException.class, () -> sem.tryAcquire((Duration) null));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sem.release(0));
            assertTrue(e.getMessage().contains("'s'") && e.getMessage().contains(": 0"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> sem.release(-3));
            assertEquals(1, sem.availablePermits());
        }
    }

    @Test
    void shouldRejectReleasePastMaxPermitsAndChangeNothing() {
        try (Semaphore sem = ns.semaphore("max", Semaphore.MAX_PERMITS - 1)) {
            sem.release();
            IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
            assertTrue(e.getMessage().contains("'max'") && e.getMessage().contains("2147483647"), e.getMessage());
            assertEquals(Semaphore.MAX_PERMITS, sem.availablePermits());
            assertTrue(sem.tryAcquire());
            assertThrows(IllegalStateException.class, () -> sem.release(2));
            assertEquals(Semaphore.MAX_PERMITS - 1, sem.availablePermits());
        }
    }

    @Test
    void shouldTimeOutWhenNoPermitAndLeaveNoSleeperBehind() throws InterruptedException {
        try (Semaphore sem = ns.semaphore("s", 0)) {
            long start = System.nanoTime();
            assertFalse(sem.tryAcquire(Duration.ofMillis(80)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(80));
            assertFalse(sem.tryAcquire(Duration.ZERO));
            assertFalse(sem.tryAcquire(1, TimeUnit.MILLISECONDS));
            assertEquals(0, sem.sleepers());
            sem.release();
            assertTrue(sem.tryAcquire(Duration.ofMillis(80)));
        }
    }

    @Test
    void shouldLetReleaseNThroughExactlyNWaitingThreads() throws Exception {
        try (Semaphore sem = ns.semaphore("s", 0)) {
            AtomicInteger got = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Thread t = new Thread(() -> {
                    try {
                        sem.acquire();
                        got.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.start();
                threads.add(t);
            }
            Waits.until("sleepers", sem::sleepers, 3);
            sem.release(2);
            Waits.until("acquirers", got::get, 2);
            assertEquals(2, got.get());
            assertEquals(0, sem.availablePermits());
            sem.release();
            for (Thread t : threads) {
                t.join(Waits.BOUND.toMillis());
                assertFalse(t.isAlive());
            }
            assertEquals(3, got.get());
            assertEquals(0, sem.sleepers());
        }
    }

    @Test
    void shouldThrowInterruptedExceptionWhenWaiterIsInterrupted() throws Exception {
        try (Semaphore sem = ns.semaphore("s", 0)) {
            AtomicInteger outcome = new AtomicInteger();
            Thread t = new Thread(() -> {
                try {
                    sem.acquire();
                    outcome.set(1);
                } catch (InterruptedException e) {
                    outcome.set(2);
                }
            });
            t.start();
            Waits.until("sleepers", sem::sleepers, 1);
            t.interrupt();
            t.join(Waits.BOUND.toMillis());
            assertFalse(t.isAlive());
            assertEquals(2, outcome.get());
            assertEquals(0, sem.sleepers(), "an interrupted waiter must unregister");
            assertEquals(0, sem.availablePermits());
        }
    }

    @Test
    void shouldWakeWaitersWithClosedExceptionOnClose() throws Exception {
        try (Semaphore other = ns.semaphore("s", 0)) {
            Semaphore waiting = ns.semaphore("s", 0);
            CompletableFuture<Boolean> waiter = Waits.async(() -> {
                waiting.acquire();
                return true;
            });
            Waits.until("sleepers", other::sleepers, 1);
            waiting.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> waiter.get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof ClosedException, String.valueOf(e.getCause()));
            assertTrue(e.getCause().getMessage().contains("'s'"), e.getCause().getMessage());
            other.release(); // the other handle is unaffected
            assertEquals(1, other.availablePermits());
        }
    }

    @Test
    void shouldThrowClosedExceptionOnUseAfterClose() {
        Semaphore sem = ns.semaphore("s", 1);
        sem.close();
        sem.close(); // idempotent
        assertThrows(ClosedException.class, sem::tryAcquire);
        assertThrows(ClosedException.class, sem::acquire);
        assertThrows(ClosedException.class, () -> sem.tryAcquire(Duration.ofSeconds(1)));
        assertThrows(ClosedException.class, sem::release);
        assertThrows(ClosedException.class, sem::availablePermits);
        assertThrows(ClosedException.class, sem::armAcquire);
        assertTrue(sem.toString().contains("closed"));
    }

    @Test
    void shouldNeverCrashWhenClosedWhileOtherThreadsHammerIt() throws Exception {
        for (int round = 0; round < 10; round++) {
            Semaphore sem = ns.semaphore("race", 1);
            AtomicInteger closedSeen = new AtomicInteger();
            Thread[] threads = new Thread[2];
            for (int i = 0; i < threads.length; i++) {
                threads[i] = new Thread(() -> {
                    try {
                        while (true) {
                            if (sem.tryAcquire(Duration.ofMillis(1))) {
                                sem.release();
                            }
                        }
                    } catch (ClosedException e) {
                        closedSeen.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                threads[i].start();
            }
            sem.close();
            for (Thread t : threads) {
                t.join(Waits.BOUND.toMillis());
                assertFalse(t.isAlive());
            }
            assertEquals(threads.length, closedSeen.get());
        }
    }

    @Test
    void shouldReleaseThroughTryWithResources() throws InterruptedException {
        try (Semaphore sem = ns.semaphore("s", 1)) {
            try (Semaphore.Hold hold = sem.hold()) {
                assertEquals(0, sem.availablePermits(), hold.toString());
            }
            assertEquals(1, sem.availablePermits());
            Semaphore.Hold hold = sem.hold();
            hold.close();
            hold.close();
            assertEquals(1, sem.availablePermits(), "a hold releases once");
        }
    }
}
