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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BoundedSemaphoreTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("bsems");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    @Test
    void shouldRejectReleaseAtTheBoundAndChangeNothing() throws InterruptedException {
        try (BoundedSemaphore sem = ns.boundedSemaphore("b", 2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
            assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("bound of 2"), e.getMessage());
            assertEquals(2, sem.availablePermits());
            sem.acquire();
            sem.release();
            assertThrows(IllegalStateException.class, sem::release);
            assertEquals(2, sem.availablePermits());
            assertEquals(2, sem.bound());
        }
    }

    @Test
    void shouldRejectReleaseOfNThatWouldPassTheBoundAsAWhole() throws InterruptedException {
        try (BoundedSemaphore sem = ns.boundedSemaphore("b", 3)) {
            sem.acquire();
            sem.acquire();
            assertThrows(IllegalStateException.class, () -> sem.release(3));
            assertEquals(1, sem.availablePermits(), "a rejected release(n) adds nothing, not a part");
            sem.release(2);
            assertEquals(3, sem.availablePermits());
            assertThrows(IllegalArgumentException.class, () -> sem.release(0));
        }
    }

    @Test
    void shouldAllowZeroBoundThatNeverReleases() {
        try (BoundedSemaphore sem = ns.boundedSemaphore("z", 0)) {
            assertFalse(sem.tryAcquire());
            assertThrows(IllegalStateException.class, sem::release);
            assertEquals(0, sem.availablePermits());
        }
    }

    @Test
    void shouldNeverPassTheBoundUnderConcurrentReleasesFromThreads() throws Exception {
        int bound = 20_000;
        try (BoundedSemaphore sem = ns.boundedSemaphore("b", bound)) {
            for (int i = 0; i < bound; i++) {
                assertTrue(sem.tryAcquire());
            }
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger rejected = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++) {
                threads[t] = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < bound / 2; i++) {
                        try {
                            sem.release();
                            ok.incrementAndGet();
                        } catch (IllegalStateException e) {
                            rejected.incrementAndGet();
                        }
                    }
                });
                threads[t].start();
            }
            go.countDown();
            for (Thread t : threads) {
                t.join(Waits.BOUND.toMillis());
                assertFalse(t.isAlive());
            }
            assertEquals(bound, ok.get());
            assertEquals(bound, rejected.get());
            assertEquals(bound, sem.availablePermits());
        }
    }

    @Test
    void shouldNeverRiseAboveTheBoundWhileThreadsAcquireAndReleaseConcurrently() throws Exception {
        try (BoundedSemaphore sem = ns.boundedSemaphore("b", 1)) {
            AtomicInteger acquired = new AtomicInteger();
            AtomicInteger released = new AtomicInteger();
            AtomicInteger highest = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            Thread[] threads = new Thread[3];
            for (int t = 0; t < threads.length; t++) {
                threads[t] = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 50_000; i++) {
                        if (sem.tryAcquire()) {
                            acquired.incrementAndGet();
                        }
                        try {
                            sem.release(); // succeeds only if the count is below the bound at that instant
                            released.incrementAndGet();
                        } catch (IllegalStateException e) {
                            // at the bound: rejected, nothing changed
                        }
                        highest.accumulateAndGet(sem.availablePermits(), Math::max);
                    }
                });
                threads[t].start();
            }
            go.countDown();
            for (Thread t : threads) {
                t.join(Waits.BOUND.toMillis());
                assertFalse(t.isAlive());
            }
            assertEquals(1, highest.get(), "the count rose above its bound");
            assertEquals(1 + released.get() - acquired.get(), sem.availablePermits(), "every success counted once");
        }
    }

    @Test
    void shouldWakeWaitingThreadOnRelease() throws Exception {
        try (BoundedSemaphore sem = ns.boundedSemaphore("b", 1)) {
            sem.acquire();
            CompletableFuture<Boolean> waiter = Waits.async(() -> sem.tryAcquire(Duration.ofSeconds(30)));
            Waits.until("sleepers", sem::sleepers, 1);
            sem.release();
            assertTrue(waiter.get(30, TimeUnit.SECONDS));
            assertEquals(0, sem.availablePermits());
            sem.release();
            BoundedSemaphore.Hold hold = sem.hold();
            assertEquals(0, sem.availablePermits());
            hold.close();
            hold.close(); // releases once: a second release would pass the bound
            assertEquals(1, sem.availablePermits());
        }
    }

    @Test
    void shouldTimeOutWhenNoPermit() throws InterruptedException {
        try (BoundedSemaphore sem = ns.boundedSemaphore("b", 0)) {
            assertFalse(sem.tryAcquire(Duration.ofMillis(50)));
            assertFalse(sem.tryAcquire(10, TimeUnit.MILLISECONDS));
            assertEquals(0, sem.sleepers());
            assertFalse(sem.tryAcquire(Duration.ofNanos(-1)), "a negative timeout only tries");
        }
    }

    @Test
    void shouldRejectBadInputAndOtherKindsOrBounds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ns.boundedSemaphore("neg", -5));
        assertTrue(e.getMessage().contains("bounded semaphore 'neg'") && e.getMessage().contains("-5"),
                e.getMessage());
        try (BoundedSemaphore sem = ns.boundedSemaphore("b", 2)) {
            SegmentMismatchException m = assertThrows(SegmentMismatchException.class,
                    () -> ns.boundedSemaphore("b", 3));
            assertTrue(m.getMessage().contains("permits=2"), m.getMessage());
            assertThrows(SegmentMismatchException.class, () -> ns.semaphore("b", 2));
            assertEquals(2, sem.availablePermits());
        }
    }

    @Test
    void shouldThrowClosedExceptionOnUseAfterClose() {
        BoundedSemaphore sem = ns.boundedSemaphore("b", 1);
        sem.close();
        assertThrows(ClosedException.class, sem::tryAcquire);
        assertThrows(ClosedException.class, sem::release);
        assertThrows(ClosedException.class, sem::acquire);
        assertThrows(ClosedException.class, sem::availablePermits);
        assertTrue(sem.toString().contains("closed"));
    }
}
