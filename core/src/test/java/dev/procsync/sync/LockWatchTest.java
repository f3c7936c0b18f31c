package dev.procsync.sync;

import dev.procsync.layout.LockLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.futex.Futex;
import dev.procsync.process.ChildProcess;
import dev.procsync.process.ProcessId;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Lock's watch hook: a sleeper outside the lock (the reactive poller) is woken by releases. */
class LockWatchTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("lockwatch");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /** Sleeps on the watch's word with no timeout until tryComplete succeeds: only a real wake frees it. */
    private static Thread sleeper(Watch watch, AtomicBoolean done, String name) {
        Thread t = new Thread(() -> {
            while (!watch.tryComplete()) {
                Futex.await(watch.address(), watch.expected(), -1);
            }
            done.set(true);
        }, name);
        t.start();
        return t;
    }

    @Test
    void shouldTakeAFreeLockOnFirstTry() {
        try (Lock lock = ns.lock("l")) {
            Watch watch = lock.armAcquire();
            assertTrue(watch.tryComplete());
            assertEquals(ProcessId.current().pid(), lock.ownerPid());
            assertFalse(watch.isArmed());
            lock.release();
        }
    }

    @Test
    void shouldWakeAWatchSleepingInTheKernelOnRelease() throws Exception {
        try (Lock lock = ns.lock("l")) {
            lock.acquire();
            Watch watch = lock.armAcquire();
            assertFalse(watch.tryComplete());
            AtomicBoolean done = new AtomicBoolean();
            Thread t = sleeper(watch, done, "lock-watch-1");
            Waits.untilSleepingInFutex("lock-watch-1");
            lock.release();
            t.join(30_000);
            assertTrue(done.get(), "the release must FUTEX_WAKE the watched word");
            assertTrue(lock.isLocked());
            lock.release();
        }
    }

    @Test
    void shouldFollowANewHolderWhoTookTheLockWithoutTheSleepersBit() throws Exception {
        try (Lock lock = ns.lock("l")) {
            lock.acquire();
            Watch watch = lock.armAcquire();
            int first = watch.expected();
            lock.release();
            assertTrue(lock.tryAcquire(), "fast path takes it before the watcher tries");
            assertFalse(watch.tryComplete());
            assertTrue((watch.expected() & LockLayout.SLEEPERS) != 0, "the watch re-marks the new hold");
            assertEquals(first, watch.expected(), "same holder pid, same word");
            AtomicBoolean done = new AtomicBoolean();
            Thread t = sleeper(watch, done, "lock-watch-2");
            Waits.untilSleepingInFutex("lock-watch-2");
            lock.release();
            t.join(30_000);
            assertTrue(done.get());
            lock.release();
        }
    }

    @Test
    void shouldPassOnTheWakeOfAWatchThatGivesUp() throws Exception {
        try (Lock lock = ns.lock("l")) {
            lock.acquire();
            Watch quitter = lock.armAcquire();
            Watch stayer = lock.armAcquire();
            // The quitter sleeps first, so the release's single FUTEX_WAKE reaches it (FIFO); it then gives up.
            Thread q = new Thread(() -> {
                Futex.await(quitter.address(), quitter.expected(), -1);
                quitter.close();
            }, "lock-quitter");
            q.start();
            Waits.untilSleepingInFutex("lock-quitter");
            AtomicBoolean done = new AtomicBoolean();
            Thread t = sleeper(stayer, done, "lock-stayer");
            Waits.untilSleepingInFutex("lock-stayer");
            lock.release();
            q.join(30_000);
            t.join(30_000);
            assertTrue(done.get(), "the quitter must hand its wake-up on; the stayer sleeps with no timeout");
            lock.release();
        }
    }

    /** Child: takes the lock and holds it until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            ns.lock("l").acquire();
            System.out.println("HELD");
            new java.util.concurrent.CountDownLatch(1).await();
        }
    }

    @Test
    void shouldTakeOverFromAKilledHolderThroughTheWatch() throws Exception {
        try (Children children = new Children(); Lock lock = ns.lock("l")) {
            ChildProcess holder = children.start(Holder.class, root.childArgs("lockwatch"));
            holder.awaitLine("HELD"::equals, Children.JOIN);
            Watch watch = lock.armAcquire();
            assertFalse(watch.tryComplete());
            holder.kill();
            long deadline = System.nanoTime() + 10_000_000_000L;
            boolean taken = false;
            while (!taken && System.nanoTime() < deadline) {
                Futex.await(watch.address(), watch.expected(), 25_000_000L);
                taken = watch.tryComplete();
            }
            assertTrue(taken);
            assertTrue(lock.previousOwnerDied());
            lock.release();
        }
    }
}
