package dev.procsync.sync;

import dev.procsync.layout.LockLayout;
import dev.procsync.layout.RLockLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.ClosedException;
import dev.procsync.Namespace;
import dev.procsync.SegmentMismatchException;
import dev.procsync.process.ProcessId;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RLockTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("rlocks");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    @Test
    void shouldBeReentrantForTheOwningThreadAndFreeAfterMatchingReleases() throws InterruptedException {
        try (RLock lock = ns.rlock("r")) {
            lock.acquire();
            assertTrue(lock.tryAcquire());
            assertTrue(lock.tryAcquire(Duration.ofMillis(10)));
            assertEquals(3, lock.holdCount());
            assertTrue(lock.isHeldByCurrentThread());
            assertEquals(ProcessId.current().pid(), lock.ownerPid());
            lock.release();
            lock.release();
            assertTrue(lock.isLocked());
            assertEquals(1, lock.holdCount());
            lock.release();
            assertFalse(lock.isLocked());
            assertFalse(lock.isHeldByCurrentThread());
            assertEquals(0, lock.holdCount());
        }
    }

    @Test
    void shouldReleaseKeepingOwnerDiedOneHoldAtATimeAndOnlyForTheOwner() throws Exception {
        try (RLock lock = ns.rlock("keep")) {
            assertThrows(IllegalMonitorStateException.class, lock::releaseKeepingOwnerDied);
            lock.acquire();
            lock.acquire();
            lock.releaseKeepingOwnerDied();
            assertEquals(1, lock.holdCount());
            CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
                try {
                    lock.releaseKeepingOwnerDied();
                    return null;
                } catch (IllegalMonitorStateException e) {
                    return e;
                }
            });
            assertTrue(other.get(5, TimeUnit.SECONDS) instanceof IllegalMonitorStateException);
            lock.releaseKeepingOwnerDied();
            assertFalse(lock.isLocked());
            lock.acquire();
            assertFalse(lock.previousOwnerDied(), "no holder died, so there is no signal to keep");
            lock.release();
        }
    }

    @Test
    void shouldKeepOtherThreadsOutUntilTheFinalRelease() throws Exception {
        try (RLock lock = ns.rlock("r")) {
            lock.acquire();
            lock.acquire();
            assertFalse(CompletableFuture.supplyAsync(() -> tryFor(lock, 30)).get(10, TimeUnit.SECONDS));
            lock.release();
            assertFalse(CompletableFuture.supplyAsync(() -> tryFor(lock, 30)).get(10, TimeUnit.SECONDS));
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                boolean got = tryFor(lock, 10_000);
                boolean mine = lock.isHeldByCurrentThread() && lock.holdCount() == 1;
                lock.release();
                return got && mine;
            });
            lock.release();
            assertTrue(waiter.get(10, TimeUnit.SECONDS));
            assertFalse(lock.isLocked());
        }
    }

    private static boolean tryFor(RLock lock, long millis) {
        try {
            return lock.tryAcquire(Duration.ofMillis(millis));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldRejectReleaseByAThreadThatDoesNotOwnIt() throws Exception {
        try (RLock lock = ns.rlock("r")) {
            IllegalMonitorStateException free = assertThrows(IllegalMonitorStateException.class, lock::release);
            assertTrue(free.getMessage().contains("rlock 'r'") && free.getMessage().contains("free"),
                    free.getMessage());
            lock.acquire();
            AtomicReference<Throwable> other = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    lock.release();
                } catch (Throwable e) {
                    other.set(e);
                }
            });
            t.start();
            t.join(10_000);
            assertTrue(other.get() instanceof IllegalMonitorStateException, String.valueOf(other.get()));
            assertTrue(other.get().getMessage().contains("rlock 'r'")
                    && other.get().getMessage().contains("not held by the current thread"), other.get().getMessage());
            assertTrue(lock.isHeldByCurrentThread(), "a failed release must not disturb the owner");
            assertEquals(1, lock.holdCount());
            lock.release();
        }
    }

    @Test
    void shouldShareOwnershipBetweenHandlesOfOneNameInOneThread() throws InterruptedException {
        try (RLock a = ns.rlock("shared"); RLock b = ns.rlock("shared")) {
            a.acquire();
            assertTrue(b.isHeldByCurrentThread());
            assertTrue(b.tryAcquire());
            assertEquals(2, a.holdCount());
            b.release();
            a.release();
            assertFalse(b.isLocked());
        }
    }

    @Test
    void shouldReleaseOneHoldThroughTryWithResources() throws InterruptedException {
        try (RLock lock = ns.rlock("r")) {
            try (RLock.Hold outer = lock.hold()) {
                try (RLock.Hold inner = lock.hold()) {
                    assertEquals(2, lock.holdCount());
                    assertFalse(inner.previousOwnerDied());
                }
                assertEquals(1, lock.holdCount());
                assertFalse(outer.previousOwnerDied());
            }
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void shouldRejectNullTimeout() {
        try (RLock lock = ns.rlock("r")) {
            assertThrows(NullPointerException.class, () -> lock.tryAcquire(null));
            assertThrows(NullPointerException.class, () -> lock.tryAcquire(1, null));
        }
    }

    @Test
    void shouldThrowInterruptedExceptionWhenAWaiterIsInterrupted() throws Exception {
        try (RLock lock = ns.rlock("r")) {
            lock.acquire();
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    lock.acquire();
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            t.start();
            t.interrupt();
            t.join(10_000);
            assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
            lock.release();
        }
    }

    @Test
    void shouldWakeWaitersWithClosedExceptionAndRefuseUseAfterClose() throws Exception {
        RLock holder = ns.rlock("r");
        RLock waiting = ns.rlock("r");
        holder.acquire();
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            try {
                waiting.acquire();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Eventually.until("waiter asleep", () -> (holder.segment().getIntAcquire(RLockLayout.STATE_OFFSET)
                & LockLayout.SLEEPERS) != 0);
        waiting.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiter.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof ClosedException, String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().contains("'r'"), e.getCause().getMessage());
        assertThrows(ClosedException.class, waiting::tryAcquire);
        assertThrows(ClosedException.class, waiting::release);
        assertThrows(ClosedException.class, waiting::holdCount);
        holder.release();
        holder.close();
    }

    @Test
    void shouldRefuseToOpenAnotherKindUnderTheName() {
        try (Lock lock = ns.lock("plain")) {
            assertFalse(lock.isLocked());
            SegmentMismatchException e = assertThrows(SegmentMismatchException.class, () -> ns.rlock("plain"));
            assertTrue(e.getMessage().contains("plain"), e.getMessage());
        }
        try (RLock lock = ns.rlock("re")) {
            assertFalse(lock.isLocked());
            assertThrows(SegmentMismatchException.class, () -> ns.lock("re"));
        }
    }
}
