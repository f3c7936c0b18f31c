package dev.procsync.sync;

import dev.procsync.layout.ConditionLayout;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ConditionTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("conditions");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /** Runs {@code body} in a new thread; the future completes with what it threw, or null. */
    private static CompletableFuture<Throwable> thread(Executable body) {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                body.execute();
                done.complete(null);
            } catch (Throwable e) {
                done.complete(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return done;
    }

    private static void awaitWaiters(Condition c, int n) {
        Eventually.until(n + " waiters on " + c, () -> c.waiterCount() >= n);
    }

    @Test
    void shouldReturnFalseOnTimeoutAndRestoreTheHoldCount() throws InterruptedException {
        try (RLock lock = ns.rlock("m"); Condition c = ns.condition("c", lock)) {
            lock.acquire();
            lock.acquire();
            long start = System.nanoTime();
            assertFalse(c.await(Duration.ofMillis(60)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(60));
            assertEquals(2, lock.holdCount());
            assertFalse(c.await(Duration.ZERO));
            assertEquals(0, c.waiterCount(), "a timed-out waiter leaves no slot behind");
            lock.release();
            lock.release();
        }
    }

    @Test
    void shouldReleaseEveryRLockHoldWhileWaitingAndRestoreThemAfter() throws Exception {
        try (RLock lock = ns.rlock("m"); Condition c = ns.condition("c", lock)) {
            AtomicInteger holdsAfter = new AtomicInteger();
            CompletableFuture<Throwable> waiter = thread(() -> {
                lock.acquire();
                lock.acquire();
                lock.acquire();
                assertTrue(c.await(Duration.ofSeconds(30)));
                holdsAfter.set(lock.holdCount());
                lock.release();
                lock.release();
                lock.release();
            });
            awaitWaiters(c, 1);
            assertTrue(lock.tryAcquire(Duration.ofSeconds(10)), "the waiter must have released all three holds");
            assertEquals(1, c.signal(1));
            lock.release();
            assertEquals(null, waiter.get(30, TimeUnit.SECONDS));
            assertEquals(3, holdsAfter.get());
        }
    }

    @Test
    void shouldWakeExactlyTheAskedNumberOfWaitersOldestFirst() throws Exception {
        try (Condition c = ns.condition("c")) {
            List<Integer> order = new ArrayList<>();
            List<CompletableFuture<Throwable>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int id = i;
                waiters.add(thread(() -> {
                    c.acquire();
                    try {
                        assertTrue(c.await(Duration.ofSeconds(30)));
                        order.add(id);
                    } finally {
                        c.release();
                    }
                }));
                awaitWaiters(c, i + 1);
            }
            Condition.Hold hold = c.hold();
            assertEquals(2, c.signal(2));
            hold.close();
            hold.close(); // idempotent
            waiters.get(0).get(30, TimeUnit.SECONDS);
            waiters.get(1).get(30, TimeUnit.SECONDS);
            Eventually.until("two woken", () -> c.waiterCount() == 1);
            assertFalse(waiters.get(2).isDone());
            c.acquire();
            try {
                order.sort(null); // the two woken race for the lock: which ones were woken matters, not who ran first
                assertEquals(List.of(0, 1), order);
                assertEquals(1, c.signalAll());
                assertEquals(0, c.signal(5), "nobody left to wake");
            } finally {
                c.release();
            }
            for (CompletableFuture<Throwable> w : waiters) {
                assertEquals(null, w.get(30, TimeUnit.SECONDS));
            }
            assertEquals(List.of(0, 1, 2), order);
        }
    }

    @Test
    void shouldCountEverySignalExactlyOnceWhenSignalsRaceTimeouts() throws Exception {
        try (RLock lock = ns.rlock("m"); Condition c = ns.condition("c", lock)) {
            AtomicInteger notifiedReturns = new AtomicInteger();
            List<CompletableFuture<Throwable>> waiters = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                waiters.add(thread(() -> {
                    for (int i = 0; i < 150; i++) {
                        lock.acquire();
                        try {
                            if (c.await(Duration.ofNanos(((i * 7L + seed) % 5) * 300_000L + 1))) {
                                notifiedReturns.incrementAndGet();
                            }
                        } finally {
                            lock.release();
                        }
                    }
                }));
            }
            long signalled = 0;
            while (!waiters.stream().allMatch(CompletableFuture::isDone)) {
                lock.acquire();
                try {
                    signalled += c.signal(1);
                } finally {
                    lock.release();
                }
            }
            for (CompletableFuture<Throwable> w : waiters) {
                assertEquals(null, w.get(30, TimeUnit.SECONDS));
            }
            assertTrue(signalled > 0, "the race was never exercised");
            assertEquals(signalled, notifiedReturns.get(), "a signal counted must be a waiter woken, and only then");
            assertEquals(0, c.waiterCount(), "no slot leaked");
        }
    }

    private static void fillSlots(Condition c, int pid, long start) {
        for (int i = 0; i < Condition.SLOTS; i++) {
            int slot = ConditionLayout.SLOTS_OFFSET + i * ConditionLayout.SLOT_LENGTH;
            c.segment().setLong(slot + 8, start);
            c.segment().setIntRelease(slot, pid | ConditionLayout.WAITING);
        }
        c.segment().setIntRelease(ConditionLayout.WAITERS_OFFSET, Condition.SLOTS);
    }

    @Test
    void shouldReapDeadWaitersWhenSlotsRunOutAndRefuseWhenAllAreLive() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(30, TimeUnit.SECONDS);
        int deadPid = (int) gone.pid();
        try (RLock lock = ns.rlock("m"); Condition c = ns.condition("c", lock)) {
            fillSlots(c, deadPid, 1);
            lock.acquire();
            assertFalse(c.await(Duration.ofMillis(5)), "a dead waiter's slot is reused");
            assertEquals(Condition.SLOTS - 1, c.waiterCount());
            assertEquals(0, c.signalAll(), "dead waiters are skipped, not woken");
            assertEquals(0, c.waiterCount(), "and their slots are reaped");

            fillSlots(c, (int) ProcessHandle.current().pid(), 0);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.await(Duration.ofMillis(5)));
            assertTrue(e.getMessage().contains("condition 'c'") && e.getMessage().contains("128"), e.getMessage());
            assertTrue(lock.isHeldByCurrentThread());
            lock.release();
        }
    }

    @Test
    void shouldReturnThePredicateFromAwaitUntil() throws Exception {
        try (Lock lock = ns.lock("plain"); Condition c = ns.condition("c", lock)) {
            AtomicBoolean ready = new AtomicBoolean();
            lock.acquire();
            assertFalse(c.awaitUntil(ready::get, Duration.ofMillis(50)));
            assertFalse(c.awaitUntil(ready::get, Duration.ZERO));
            lock.release();
            AtomicInteger calls = new AtomicInteger();
            CompletableFuture<Throwable> waiter = thread(() -> {
                lock.acquire();
                assertTrue(c.awaitUntil(() -> {
                    calls.incrementAndGet();
                    return ready.get();
                }));
                lock.release();
            });
            awaitWaiters(c, 1);
            lock.acquire();
            c.signalAll(); // predicate still false: the waiter must go back to sleep
            lock.release();
            Eventually.until("waiter re-tested and slept again", () -> calls.get() == 2 && c.waiterCount() == 1);
            lock.acquire();
            ready.set(true);
            c.signal();
            lock.release();
            assertEquals(null, waiter.get(30, TimeUnit.SECONDS));
            lock.acquire();
            assertTrue(c.awaitUntil(ready::get, Duration.ZERO));
            lock.release();
        }
    }

    @Test
    void shouldRejectEveryCallWithoutTheLock() throws Exception {
        try (RLock lock = ns.rlock("m"); Condition c = ns.condition("c", lock)) {
            IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, c::await);
            assertTrue(e.getMessage().contains("condition 'c'") && e.getMessage().contains("rlock 'm'"),
                    e.getMessage());
            assertThrows(IllegalMonitorStateException.class, () -> c.await(Duration.ofMillis(10)));
            assertThrows(IllegalMonitorStateException.class, () -> c.await(Duration.ZERO));
            assertThrows(IllegalMonitorStateException.class, c::signal);
            assertThrows(IllegalMonitorStateException.class, c::signalAll);
            assertThrows(IllegalMonitorStateException.class, () -> c.awaitUntil(() -> true));
            lock.acquire();
            Throwable other = thread(c::signal).get(10, TimeUnit.SECONDS);
            assertTrue(other instanceof IllegalMonitorStateException, "another thread does not hold an RLock");
            lock.release();
        }
        try (Lock lock = ns.lock("plain"); Condition c = ns.condition("d", lock)) {
            IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, c::signal);
            assertTrue(e.getMessage().contains("lock 'plain'") && e.getMessage().contains("process"), e.getMessage());
            lock.acquire();
            Throwable other = thread(c::signal).get(10, TimeUnit.SECONDS);
            assertTrue(other instanceof IllegalMonitorStateException,
                    "the condition checks the thread that acquired a plain Lock too (CPython's _is_mine)");
            lock.release();
        }
    }

    @Test
    void shouldRejectBadArgumentsAndMismatchedReopen() throws InterruptedException {
        try (RLock lock = ns.rlock("m"); Condition c = ns.condition("c", lock)) {
            lock.acquire();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.signal(-1));
            assertTrue(e.getMessage().contains("condition 'c'"), e.getMessage());
            lock.release();
            try (Lock plain = ns.lock("plain"); RLock other = ns.rlock("other")) {
                SegmentMismatchException kind = assertThrows(SegmentMismatchException.class,
                        () -> ns.condition("c", plain));
                assertTrue(kind.getMessage().contains("lock kind"), kind.getMessage());
                assertThrows(SegmentMismatchException.class, () -> ns.condition("c", other));
                assertThrows(SegmentMismatchException.class, () -> ns.barrier("c", 2));
            }
        }
    }

    @Test
    void shouldReacquireTheLockBeforeThrowingInterruptedException() throws Exception {
        try (RLock lock = ns.rlock("m"); Condition c = ns.condition("c", lock)) {
            AtomicReference<Thread> waiterThread = new AtomicReference<>();
            AtomicBoolean heldInCatch = new AtomicBoolean();
            CompletableFuture<Throwable> waiter = thread(() -> {
                waiterThread.set(Thread.currentThread());
                lock.acquire();
                try {
                    c.await();
                } catch (InterruptedException e) {
                    heldInCatch.set(lock.isHeldByCurrentThread() && lock.holdCount() == 1);
                    throw e;
                } finally {
                    lock.release();
                }
            });
            awaitWaiters(c, 1);
            lock.acquire(); // hold the lock: the interrupted waiter must wait for it before throwing
            waiterThread.get().interrupt();
            Eventually.until("waiter cancelled its slot", () -> c.waiterCount() == 0);
            assertFalse(waiter.isDone());
            lock.release();
            assertTrue(waiter.get(30, TimeUnit.SECONDS) instanceof InterruptedException);
            assertTrue(heldInCatch.get());
        }
    }

    @Test
    void shouldWakeWaitersWithClosedExceptionHoldingTheLockAgain() throws Exception {
        try (RLock lock = ns.rlock("m")) {
            Condition c = ns.condition("c", lock);
            AtomicBoolean heldInCatch = new AtomicBoolean();
            CompletableFuture<Throwable> waiter = thread(() -> {
                lock.acquire();
                try {
                    c.await();
                } catch (ClosedException e) {
                    heldInCatch.set(lock.isHeldByCurrentThread());
                    throw e;
                } finally {
                    lock.release();
                }
            });
            awaitWaiters(c, 1);
            c.close();
            Throwable t = waiter.get(30, TimeUnit.SECONDS);
            assertTrue(t instanceof ClosedException, String.valueOf(t));
            assertTrue(heldInCatch.get());
            assertThrows(ClosedException.class, c::signal);
            assertThrows(ClosedException.class, c::await);
            try (Condition again = ns.condition("c", lock)) {
                assertEquals(0, again.waiterCount(), "closing freed the waiter's slot");
            }
        }
    }

    @Test
    void shouldCloseTheDefaultRLockWithTheCondition() throws InterruptedException, ExecutionException {
        Condition c = ns.condition("c");
        assertTrue(ns.exists("c~lock"));
        c.acquire();
        c.release();
        c.close();
        assertThrows(ClosedException.class, c::acquire);
    }
}
