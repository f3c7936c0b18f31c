package dev.procsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.ClosedException;
import dev.procsync.Namespace;
import dev.procsync.futex.Futex;
import dev.procsync.testing.TempRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The non-blocking hook for the reactive poller. The sleepers here wait in the kernel with no
 * timeout, so only a FUTEX_WAKE from a release or set can free them: a missed wake-up hangs the
 * sleeper and fails the bounded wait, instead of being hidden by a sliced sleep.
 */
class WatchTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("watches");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /** Threads that each sleep on one armed watch with no timeout until it completes. */
    static final class UnboundedSleepers implements AutoCloseable {
        final AtomicInteger completed = new AtomicInteger();
        final List<Thread> threads = new ArrayList<>();
        final List<Watch> watches = new ArrayList<>();
        private volatile boolean stop;

        void start(Watch watch) {
            start(watch, "sleeper-" + threads.size());
        }

        void start(Watch watch, String threadName) {
            watches.add(watch);
            Thread t = new Thread(() -> {
                while (!stop && !watch.tryComplete()) {
                    Futex.await(watch.address(), watch.expected(), -1);
                }
                if (!stop) {
                    completed.incrementAndGet();
                }
            }, threadName);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }

        @Override
        public void close() {
            stop = true;
            for (int i = 0; i < threads.size(); i++) {
                Watch w = watches.get(i);
                while (threads.get(i).isAlive() && !w.segment().isClosed()) {
                    Futex.wake(w.segment().address(w.offset()), Integer.MAX_VALUE);
                    try {
                        threads.get(i).join(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                w.close();
            }
        }
    }

    @Test
    void shouldWakeExactlyTheReleasedNumberOfUnboundedSleepers() throws Exception {
        try (Semaphore sem = ns.semaphore("s", 0); UnboundedSleepers sleepers = new UnboundedSleepers()) {
            for (int i = 0; i < 3; i++) {
                sleepers.start(sem.armAcquire());
            }
            assertEquals(3, sem.sleepers());
            sem.release(2);
            Waits.until("completed watches", sleepers.completed::get, 2);
            sem.release();
            Waits.until("completed watches", sleepers.completed::get, 3);
            assertEquals(0, sem.availablePermits());
            assertEquals(0, sem.sleepers(), "a completed watch unregisters in the same CAS that takes the permit");
        }
    }

    @Test
    void shouldWakeUnboundedSleepersOnBoundedRelease() throws Exception {
        try (BoundedSemaphore sem = ns.boundedSemaphore("b", 1)) {
            assertTrue(sem.tryAcquire());
            try (UnboundedSleepers sleepers = new UnboundedSleepers()) {
                sleepers.start(sem.armAcquire());
                sem.release();
                Waits.until("completed watches", sleepers.completed::get, 1);
            }
            assertEquals(0, sem.availablePermits());
        }
    }

    @Test
    void shouldWakeEveryUnboundedSleeperOnSet() throws Exception {
        try (Event event = ns.event("e"); UnboundedSleepers sleepers = new UnboundedSleepers()) {
            for (int i = 0; i < 3; i++) {
                sleepers.start(event.armAwait());
            }
            event.set();
            event.clear(); // the watches still complete: the raise is counted in the word
            Waits.until("completed watches", sleepers.completed::get, 3);
            assertEquals(0, event.waiters());
        }
    }

    @Test
    void shouldPassOnAWakeUpAbsorbedByAWatchThatGivesUp() throws Exception {
        try (Semaphore sem = ns.semaphore("s", 0); UnboundedSleepers taker = new UnboundedSleepers()) {
            Watch absorbing = sem.armAcquire();
            Thread absorber = new Thread(() -> {
                // Sleeps once, is woken by the release, and gives up instead of taking the permit.
                Futex.await(absorbing.address(), absorbing.expected(), -1);
                absorbing.close();
            }, "absorber");
            absorber.setDaemon(true);
            absorber.start();
            Waits.untilSleepingInFutex("absorber");
            taker.start(sem.armAcquire(), "taker");
            Waits.untilSleepingInFutex("taker");
            // Both sleep; the kernel wakes in FIFO order among equal priorities, so the absorber gets
            // the release's single wake-up and only its pass-on can wake the taker.
            sem.release();
            absorber.join(Waits.BOUND.toMillis());
            assertFalse(absorber.isAlive(), "the release's wake-up went to the first sleeper");
            Waits.until("completed watches", taker.completed::get, 1);
            assertEquals(0, sem.availablePermits());
            assertEquals(0, sem.sleepers());
        }
    }

    @Test
    void shouldConservePermitsWhenCompletionRacesCancellation() throws Exception {
        int rounds = 5_000;
        try (Semaphore sem = ns.semaphore("s", 0)) {
            Watch[] current = new Watch[1];
            AtomicInteger taken = new AtomicInteger();
            CyclicBarrier start = new CyclicBarrier(3);
            CyclicBarrier end = new CyclicBarrier(3);
            Runnable completer = () -> race(start, end, rounds, () -> {
                if (current[0].tryComplete()) {
                    taken.incrementAndGet();
                }
            });
            Runnable canceller = () -> race(start, end, rounds, () -> current[0].close());
            Thread a = new Thread(completer);
            Thread b = new Thread(canceller);
            a.start();
            b.start();
            int released = 0;
            for (int i = 0; i < rounds; i++) {
                if (i % 2 == 0) {
                    sem.release();
                    released++;
                }
                current[0] = sem.armAcquire();
                start.await(30, TimeUnit.SECONDS);
                end.await(30, TimeUnit.SECONDS);
                assertFalse(current[0].isArmed());
            }
            a.join(Waits.BOUND.toMillis());
            b.join(Waits.BOUND.toMillis());
            assertEquals(released, taken.get() + sem.availablePermits(), "a permit was lost or made up");
            assertEquals(0, sem.sleepers(), "every watch unregistered exactly once");
        }
    }

    private static void race(CyclicBarrier start, CyclicBarrier end,
            int rounds, Runnable action) {
        try {
            for (int i = 0; i < rounds; i++) {
                start.await(30, TimeUnit.SECONDS);
                action.run();
                end.await(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldTakeAFreePermitOnFirstTryAndUnregister() {
        try (Semaphore sem = ns.semaphore("s", 1)) {
            Watch watch = sem.armAcquire();
            assertTrue(watch.isArmed());
            assertEquals(0, watch.expected());
            assertTrue(watch.tryComplete());
            assertFalse(watch.isArmed());
            assertFalse(watch.tryComplete(), "a completed watch completes only once");
            watch.close(); // no-op after completion
            assertEquals(0, sem.availablePermits());
            assertEquals(0, sem.sleepers());
        }
    }

    @Test
    void shouldUnregisterOnCloseWithoutTakingAnything() {
        try (Semaphore sem = ns.semaphore("s", 0); Event event = ns.event("e")) {
            Watch a = sem.armAcquire();
            Watch b = event.armAwait();
            assertFalse(a.tryComplete());
            assertFalse(b.tryComplete());
            assertEquals(1, sem.sleepers());
            assertEquals(1, event.waiters());
            a.close();
            b.close();
            a.close();
            assertEquals(0, sem.sleepers());
            assertEquals(0, event.waiters());
            sem.release();
            assertFalse(a.tryComplete(), "a closed watch never takes a permit");
            assertEquals(1, sem.availablePermits());
        }
    }

    @Test
    void shouldCompleteEventWatchArmedWhileSetAndKeepItsExpectedValue() {
        try (Event event = ns.event("e")) {
            event.set();
            Watch watch = event.armAwait();
            assertTrue(watch.tryComplete());
            event.clear();
            Watch later = event.armAwait();
            int expected = later.expected();
            assertFalse(later.tryComplete());
            event.set();
            event.clear();
            assertEquals(expected, later.expected());
            assertTrue(later.tryComplete());
            assertEquals(0, event.waiters());
        }
    }

    @Test
    void shouldThrowClosedExceptionFromAWatchOfAClosedHandle() {
        Semaphore sem = ns.semaphore("s", 0);
        Watch watch = sem.armAcquire();
        sem.close();
        assertThrows(ClosedException.class, watch::tryComplete);
        assertFalse(watch.isArmed());
        watch.close();
        assertThrows(ClosedException.class, watch::address);
    }
}
