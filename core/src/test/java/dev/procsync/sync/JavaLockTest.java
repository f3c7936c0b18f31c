package dev.procsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.testing.TempRoot;
import java.util.Date;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cases of the JSR-166 TCK's lock and condition tests that apply to a lock shared between
 * processes, written anew against the {@code asJavaLock()} views of {@link Lock} and {@link RLock}.
 */
class JavaLockTest {
    private static final long LONG = TimeUnit.SECONDS.toNanos(30);

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("jlock");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    private Mutex mutex(String kind) {
        return kind.equals("lock") ? ns.lock("m") : ns.rlock("m");
    }

    /** A second handle of the same lock, as another process would have. */
    private Mutex other(String kind) {
        return kind.equals("lock") ? Lock.open(ns, "m") : RLock.open(ns, "m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void shouldLockAndUnlock(String kind) {
        Mutex m = mutex(kind);
        java.util.concurrent.locks.Lock j = m.asJavaLock();
        assertSame(j, m.asJavaLock(), "one view per handle");
        j.lock();
        assertTrue(m.isLocked());
        j.unlock();
        assertFalse(m.isLocked());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void shouldRefuseUnlockByAThreadThatDoesNotHoldIt(String kind) throws Exception {
        java.util.concurrent.locks.Lock j = mutex(kind).asJavaLock();
        assertThrows(IllegalMonitorStateException.class, j::unlock, "not locked at all");
        j.lock();
        CompletableFuture<Object> other = Waits.async(() -> {
            j.unlock();
            return "unlocked";
        });
        CompletableFuture<?> done = other.handle((v, e) -> e);
        assertTrue(done.get(30, TimeUnit.SECONDS) instanceof IllegalMonitorStateException, "another thread");
        j.unlock();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void shouldTryLockOnlyWhenFree(String kind) throws Exception {
        java.util.concurrent.locks.Lock mine = mutex(kind).asJavaLock();
        java.util.concurrent.locks.Lock theirs = other(kind).asJavaLock();
        assertTrue(mine.tryLock());
        assertFalse(Waits.async(theirs::tryLock).get(30, TimeUnit.SECONDS));
        mine.unlock();
        assertTrue(Waits.async(() -> {
            boolean got = theirs.tryLock();
            theirs.unlock();
            return got;
        }).get(30, TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void shouldTimeOutTimedTryLockAndNotWaitForZeroOrNegativeTimes(String kind) throws Exception {
        java.util.concurrent.locks.Lock mine = mutex(kind).asJavaLock();
        java.util.concurrent.locks.Lock theirs = other(kind).asJavaLock();
        mine.lock();
        assertFalse(Waits.async(() -> theirs.tryLock(10, TimeUnit.MILLISECONDS)).get(30, TimeUnit.SECONDS));
        assertFalse(Waits.async(() -> theirs.tryLock(0, TimeUnit.NANOSECONDS)).get(30, TimeUnit.SECONDS));
        assertFalse(Waits.async(() -> theirs.tryLock(-1, TimeUnit.DAYS)).get(30, TimeUnit.SECONDS));
        mine.unlock();
        assertTrue(mine.tryLock(-5, TimeUnit.SECONDS), "a free lock is taken without waiting");
        mine.unlock();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void shouldThrowFromInterruptibleLocksWhenInterruptedOnEntryOrWhileWaiting(String kind) throws Exception {
        java.util.concurrent.locks.Lock mine = mutex(kind).asJavaLock();
        java.util.concurrent.locks.Lock theirs = other(kind).asJavaLock();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, mine::lockInterruptibly, "interrupted on entry, lock free");
        assertFalse(Thread.interrupted(), "the status is cleared");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> mine.tryLock(1, TimeUnit.SECONDS));
        assertFalse(Thread.interrupted());

        mine.lock();
        for (String which : new String[] {"lockInt", "tryLockInt"}) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    if (Thread.currentThread().getName().equals("lockInt")) {
                        theirs.lockInterruptibly();
                    } else {
                        theirs.tryLock(LONG, TimeUnit.NANOSECONDS);
                    }
                    outcome.complete(null);
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            }, which);
            waiter.start();
            Waits.untilSleepingInFutex(which);
            waiter.interrupt();
            assertTrue(outcome.get(30, TimeUnit.SECONDS) instanceof InterruptedException, which);
        }
        mine.unlock();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void shouldKeepWaitingInLockWhenInterruptedAndSetTheStatusAfter(String kind) throws Exception {
        java.util.concurrent.locks.Lock mine = mutex(kind).asJavaLock();
        java.util.concurrent.locks.Lock theirs = other(kind).asJavaLock();
        mine.lock();
        CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            theirs.lock();
            interruptedAfter.complete(Thread.interrupted());
            theirs.unlock();
        }, "uninterr");
        waiter.start();
        Waits.untilSleepingInFutex("uninterr");
        waiter.interrupt();
        Waits.untilSleepingInFutex("uninterr"); // still waiting after the interrupt
        assertFalse(interruptedAfter.isDone());
        mine.unlock();
        assertTrue(interruptedAfter.get(30, TimeUnit.SECONDS), "lock() returns with the interrupt status set");
    }

    @Test
    void shouldBeReentrantOverAnRLockOnly() throws Exception {
        RLock r = ns.rlock("r");
        java.util.concurrent.locks.Lock j = r.asJavaLock();
        j.lock();
        j.lock();
        assertEquals(2, r.holdCount());
        j.unlock();
        assertTrue(r.isHeldByCurrentThread());
        j.unlock();
        assertFalse(r.isLocked());

        java.util.concurrent.locks.Lock plain = ns.lock("p").asJavaLock();
        plain.lock();
        assertFalse(plain.tryLock(), "a Lock view is not reentrant");
        plain.unlock();
    }

    // ---- conditions ----

    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void shouldRefuseAwaitAndSignalWithoutTheLock(String kind) {
        java.util.concurrent.locks.Lock j = mutex(kind).asJavaLock();
        Condition c = j.newCondition();
        assertThrows(IllegalMonitorStateException.class, c::await);
        assertThrows(IllegalMonitorStateException.class, () -> c.awaitNanos(1));
        assertThrows(IllegalMonitorStateException.class, () -> c.awaitNanos(0));
        assertThrows(IllegalMonitorStateException.class, () -> c.await(1, TimeUnit.MILLISECONDS));
        assertThrows(IllegalMonitorStateException.class, c::awaitUninterruptibly);
        assertThrows(IllegalMonitorStateException.class, c::signal);
        assertThrows(IllegalMonitorStateException.class, c::signalAll);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void shouldTimeOutTimedAwaitsAndHoldTheLockAgain(String kind) throws Exception {
        Mutex m = mutex(kind);
        java.util.concurrent.locks.Lock j = m.asJavaLock();
        Condition c = j.newCondition();
        j.lock();
        assertTrue(c.awaitNanos(TimeUnit.MILLISECONDS.toNanos(10)) <= 0);
        assertTrue(c.awaitNanos(0) <= 0);
        assertTrue(c.awaitNanos(-7) <= 0);
        assertFalse(c.await(10, TimeUnit.MILLISECONDS));
        assertFalse(c.await(-1, TimeUnit.SECONDS));
        assertFalse(c.awaitUntil(new Date(System.currentTimeMillis() + 10)));
        assertFalse(c.awaitUntil(new Date(0)));
        assertTrue(m.isLocked());
        j.unlock(); // still the holder through the view after every wait
        assertFalse(m.isLocked());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void shouldWakeAwaitersOnSignalAndSignalAll(String kind) throws Exception {
        java.util.concurrent.locks.Lock j = mutex(kind).asJavaLock();
        Condition c = j.newCondition();
        AtomicBoolean ready = new AtomicBoolean();
        CompletableFuture<Long> timed = Waits.async(() -> {
            j.lock();
            try {
                long left = LONG;
                while (!ready.get()) {
                    left = c.awaitNanos(left);
                }
                return left;
            } finally {
                j.unlock();
            }
        });
        CompletableFuture<Boolean> plain = Waits.async(() -> {
            j.lock();
            try {
                while (!ready.get()) {
                    c.await();
                }
                return true;
            } finally {
                j.unlock();
            }
        });
        Eventually.until("two waiters", () -> waiters(j) == 2);
        j.lock();
        ready.set(true);
        c.signal(); // one shared wait set: signal wakes both, and each re-tests its predicate
        j.unlock();
        assertTrue(timed.get(30, TimeUnit.SECONDS) > 0, "signalled before the timeout");
        assertTrue(plain.get(30, TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void shouldShareOneConditionAcrossHandlesSoASignalReachesEveryWaiter(String kind) throws Exception {
        java.util.concurrent.locks.Lock mine = mutex(kind).asJavaLock();
        java.util.concurrent.locks.Lock theirs = other(kind).asJavaLock();
        Condition notEmpty = theirs.newCondition();
        AtomicBoolean ready = new AtomicBoolean();
        CompletableFuture<Boolean> waiter = Waits.async(() -> {
            theirs.lock();
            try {
                while (!ready.get()) {
                    notEmpty.await();
                }
                return true;
            } finally {
                theirs.unlock();
            }
        });
        Eventually.until("one waiter", () -> waiters(mine) == 1);
        mine.lock();
        ready.set(true);
        mine.newCondition().signal();
        mine.unlock();
        assertTrue(waiter.get(30, TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void shouldReacquireTheLockWhenAnAwaitIsInterrupted(String kind) throws Exception {
        Mutex m = mutex(kind);
        java.util.concurrent.locks.Lock j = m.asJavaLock();
        Condition c = j.newCondition();
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            j.lock();
            try {
                c.await();
                outcome.complete("returned");
            } catch (InterruptedException e) {
                outcome.complete(m.isLocked() ? "interrupted, holding" : "interrupted, not holding");
            } finally {
                j.unlock();
            }
        }, "awaitInt");
        waiter.start();
        Eventually.until("one waiter", () -> waiters(j) == 1);
        waiter.interrupt();
        assertEquals("interrupted, holding", outcome.get(30, TimeUnit.SECONDS));
        waiter.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(m.isLocked());

        Thread.currentThread().interrupt();
        j.lock();
        assertThrows(InterruptedException.class, c::await, "interrupted on entry");
        assertThrows(InterruptedException.class, () -> {
            Thread.currentThread().interrupt();
            c.awaitNanos(LONG);
        });
        Thread.currentThread().interrupt();
        c.awaitUninterruptibly(); // returns early (a spurious wake-up) with the status kept
        assertTrue(Thread.interrupted());
        j.unlock();
    }

    @Test
    void shouldRestoreTheRLockHoldCountAfterAnAwait() throws Exception {
        RLock r = ns.rlock("r");
        java.util.concurrent.locks.Lock j = r.asJavaLock();
        Condition c = j.newCondition();
        j.lock();
        j.lock();
        assertFalse(c.await(5, TimeUnit.MILLISECONDS));
        assertEquals(2, r.holdCount());
        j.unlock();
        j.unlock();
    }

    private static int waiters(java.util.concurrent.locks.Lock view) {
        return ((JavaConditionView) view.newCondition()).shared().waiterCount();
    }
}
