package dev.procsync.sync;

import dev.procsync.layout.RLockLayout;
import dev.procsync.layout.LockLayout;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.process.OwnerWatch;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.Segment;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Takeover decisions against a live holder caught between its acquiring CAS and its start-time
 * store (staged here: a live {@code sleep} process's pid in the word, another start time beside it).
 * However often a waiter is woken or a watch is tried, that holder is not forced within the grace;
 * a holder whose start time still differs after the grace is a reused pid and is taken over.
 */
class LockTakeoverTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("takeover");
    private Process live;
    private ProcessId liveId;

    @BeforeEach
    void startAProcess() throws Exception {
        live = new ProcessBuilder("sleep", "600").start();
        liveId = ProcessId.of((int) live.pid());
        assertTrue(liveId != null, "sleep died at once");
    }

    @AfterEach
    void cleanUp() throws Exception {
        live.destroyForcibly();
        live.waitFor();
        ns.close();
        root.close();
    }

    /** The live process "holds" the word and has not stored its start time: a previous holder's is there. */
    private void stageUnstampedHold(Segment segment, int stateOffset, int startOffset) {
        assertTrue(segment.compareAndSetInt(stateOffset, 0, liveId.pid()));
        segment.setLongRelease(startOffset, liveId.startTime() + 1);
    }

    @Test
    void shouldNotLetAWatchTriedInATightLoopForceALiveHolderThatHasNotStoredItsStartTime() {
        try (Lock lock = ns.lock("l")) {
            stageUnstampedHold(lock.segment(), LockLayout.STATE_OFFSET, LockLayout.OWNER_START_OFFSET);
            Watch watch = lock.armAcquire();
            // Tries for a fifth of the grace (a loaded machine may manage few of them; two were enough
            // for the old rule to force the holder).
            long until = System.nanoTime() + OwnerWatch.GRACE_NANOS / 5;
            int tries = 0;
            while (tries < 2 || System.nanoTime() - until < 0) {
                assertFalse(watch.tryComplete(), "a live holder was forced on try " + tries);
                tries++;
            }
            assertTrue(lock.segment().compareAndSetInt(LockLayout.STATE_OFFSET, watch.expected(), 0),
                    "holder releases");
            assertTrue(watch.tryComplete());
            assertFalse(lock.previousOwnerDied());
            lock.release();
        }
    }

    /** What a blocked waiter does: a timed acquire of the staged lock. */
    interface TimedAcquire {
        boolean tryAcquire(Duration timeout) throws InterruptedException;
    }

    /** A 200 ms acquire (a fifth of the grace) while the word is woken nonstop: whether it took the lock. */
    private static boolean acquireWhileWokenOverAndOver(TimedAcquire lock, Segment segment, int stateOffset)
            throws Exception {
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return lock.tryAcquire(Duration.ofMillis(200));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (!waiter.isDone()) {
            segment.wake(stateOffset, 1); // e.g. cancelled reactive waiters handing wake-ups on
            Thread.onSpinWait();
        }
        return waiter.get();
    }

    @Test
    void shouldNotLetABlockedWaiterWokenOverAndOverForceALiveHolderThatHasNotStoredItsStartTime()
            throws Exception {
        try (Lock lock = ns.lock("l")) {
            stageUnstampedHold(lock.segment(), LockLayout.STATE_OFFSET, LockLayout.OWNER_START_OFFSET);
            assertFalse(acquireWhileWokenOverAndOver(lock::tryAcquire, lock.segment(), LockLayout.STATE_OFFSET),
                    "the waiter took the lock from a live holder");
            assertTrue(LockWord.pid(lock.segment().getIntAcquire(LockLayout.STATE_OFFSET)) == liveId.pid());
        }
    }

    @Test
    void shouldNotLetAnRLockWaiterWokenOverAndOverForceALiveHolderThatHasNotStoredItsStartTime()
            throws Exception {
        try (RLock lock = ns.rlock("r")) {
            stageUnstampedHold(lock.segment(), RLockLayout.STATE_OFFSET, RLockLayout.OWNER_START_OFFSET);
            assertFalse(acquireWhileWokenOverAndOver(lock::tryAcquire, lock.segment(), RLockLayout.STATE_OFFSET),
                    "the waiter took the rlock from a live holder");
            assertTrue(LockWord.pid(lock.segment().getIntAcquire(RLockLayout.STATE_OFFSET)) == liveId.pid());
        }
    }

    @Test
    void shouldTakeOverAHolderWhosePidWasReusedOnceTheGraceHasPassed() throws Exception {
        try (Lock lock = ns.lock("l")) {
            stageUnstampedHold(lock.segment(), LockLayout.STATE_OFFSET, LockLayout.OWNER_START_OFFSET);
            long started = System.nanoTime();
            assertTrue(lock.tryAcquire(Duration.ofSeconds(30)), "a pid with another start time never recovered");
            long waited = System.nanoTime() - started;
            assertTrue(waited >= OwnerWatch.GRACE_NANOS, "taken over after " + TimeUnit.NANOSECONDS.toMillis(waited)
                    + " ms, before the grace");
            assertTrue(lock.previousOwnerDied());
            lock.release();
        }
    }
}
