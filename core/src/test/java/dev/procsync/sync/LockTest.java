package dev.procsync.sync;

import dev.procsync.layout.LockLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.ClosedException;
import dev.procsync.Namespace;
import dev.procsync.process.ProcessId;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LockTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("locks");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    @Test
    void shouldAcquireFreeLockAndRecordOwnerPid() throws InterruptedException {
        try (Lock lock = ns.lock("a")) {
            assertFalse(lock.isLocked());
            lock.acquire();
            assertTrue(lock.isLocked());
            assertEquals(ProcessId.current().pid(), lock.ownerPid());
            assertFalse(lock.previousOwnerDied());
            lock.release();
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void shouldReleaseKeepingOwnerDiedLikeReleaseOnACleanHoldAndRejectAFreeLock() {
        try (Lock lock = ns.lock("keep")) {
            assertTrue(lock.tryAcquire());
            lock.releaseKeepingOwnerDied();
            assertFalse(lock.isLocked());
            assertTrue(lock.tryAcquire());
            assertFalse(lock.previousOwnerDied(), "no holder died, so there is no signal to keep");
            lock.release();
            IllegalStateException e = assertThrows(IllegalStateException.class, lock::releaseKeepingOwnerDied);
            assertTrue(e.getMessage().contains("lock 'keep' released too many times"), e.getMessage());
        }
    }

    @Test
    void shouldNotBeReentrant() throws InterruptedException {
        try (Lock lock = ns.lock("a")) {
            lock.acquire();
            assertFalse(lock.tryAcquire());
            assertFalse(lock.tryAcquire(Duration.ofMillis(30)));
            lock.release();
        }
    }

    @Test
    void shouldShareStateBetweenHandlesOfOneName() throws InterruptedException {
        try (Lock a = ns.lock("shared"); Lock b = ns.lock("shared")) {
            a.acquire();
            assertTrue(b.isLocked());
            assertFalse(b.tryAcquire());
            b.release(); // any holder of a handle may release, as in multiprocessing
            assertTrue(a.tryAcquire());
            a.release();
        }
    }

    @Test
    void shouldRejectOverRelease() {
        try (Lock lock = ns.lock("a")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
            assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("released too many times"),
                    e.getMessage());
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void shouldRejectNullTimeout() {
        try (Lock lock = ns.lock("a")) {
            assertThrows(NullPointerException.class, () -> lock.tryAcquire(null));
            assertThrows(NullPointerException.class, () -> lock.tryAcquire(1, null));
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void shouldTimeOutWhenHeld() throws InterruptedException {
        try (Lock lock = ns.lock("a")) {
            lock.acquire();
            long start = System.nanoTime();
            assertFalse(lock.tryAcquire(Duration.ofMillis(80)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(80));
            assertFalse(lock.tryAcquire(Duration.ZERO));
        }
    }

    @Test
    void shouldHandOffToWaitingThread() throws Exception {
        try (Lock lock = ns.lock("a")) {
            lock.acquire();
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                started.countDown();
                try {
                    lock.acquire();
                    return lock.isLocked();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            started.await();
            lock.release();
            assertTrue(waiter.get(10, TimeUnit.SECONDS));
            lock.release();
        }
    }

    @Test
    void shouldThrowInterruptedExceptionWhenWaiterIsInterrupted() throws Exception {
        try (Lock lock = ns.lock("a")) {
            lock.acquire();
            AtomicInteger outcome = new AtomicInteger();
            Thread t = new Thread(() -> {
                try {
                    lock.acquire();
                    outcome.set(1);
                } catch (InterruptedException e) {
                    outcome.set(2);
                }
            });
            t.start();
            t.interrupt();
            t.join(10_000);
            assertFalse(t.isAlive());
            assertEquals(2, outcome.get());
            lock.release();
        }
    }

    @Test
    void shouldWakeWaitersWithClosedExceptionOnClose() throws Exception {
        Lock holder = ns.lock("a");
        Lock waiting = ns.lock("a");
        holder.acquire();
        CountDownLatch entered = new CountDownLatch(1);
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            entered.countDown();
            try {
                waiting.acquire();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        entered.await();
        waiting.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiter.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof ClosedException, String.valueOf(e.getCause()));
        holder.release();
        holder.close();
    }

    @Test
    void shouldThrowClosedExceptionOnUseAfterClose() {
        Lock lock = ns.lock("a");
        lock.close();
        lock.close(); // idempotent
        ClosedException e = assertThrows(ClosedException.class, lock::tryAcquire);
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
        assertThrows(ClosedException.class, lock::release);
        assertThrows(ClosedException.class, lock::isLocked);
        assertThrows(ClosedException.class, lock::acquire);
    }

    @Test
    void shouldNeverCrashWhenClosedWhileOtherThreadsHammerIt() throws Exception {
        for (int round = 0; round < 20; round++) {
            Lock lock = ns.lock("race");
            AtomicInteger closedSeen = new AtomicInteger();
            Thread[] threads = new Thread[2];
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < threads.length; i++) {
                threads[i] = new Thread(() -> {
                    try {
                        go.await();
                        while (true) {
                            if (lock.tryAcquire()) {
                                lock.release();
                            }
                        }
                    } catch (IllegalStateException e) { // ClosedException is one
                        closedSeen.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                threads[i].start();
            }
            go.countDown();
            lock.close();
            for (Thread t : threads) {
                t.join(10_000);
                assertFalse(t.isAlive());
            }
            assertEquals(threads.length, closedSeen.get());
        }
    }

    @Test
    void shouldReleaseThroughTryWithResources() throws InterruptedException {
        try (Lock lock = ns.lock("a")) {
            try (Lock.Hold hold = lock.hold()) {
                assertTrue(lock.isLocked());
                assertFalse(hold.previousOwnerDied());
            }
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void shouldKeepTheOwnerDiedSignalWhenAFreeLockIsReleasedByMistake() throws InterruptedException {
        try (Lock lock = ns.lock("signal")) {
            lock.acquire();
            lock.segment().setIntRelease(LockLayout.OWNER_DIED_OFFSET, 1); // as a takeover from a dead holder leaves it
            lock.releaseKeepingOwnerDied();
            assertThrows(IllegalStateException.class, lock::release);
            lock.acquire();
            assertTrue(lock.previousOwnerDied(), "a stray release must not erase the signal meant for the next holder");
            lock.release();
            lock.acquire();
            assertFalse(lock.previousOwnerDied());
            lock.release();
        }
    }
}
