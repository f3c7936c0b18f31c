package dev.procsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.segment.Segment;
import dev.procsync.sync.Barrier;
import dev.procsync.sync.BoundedSemaphore;
import dev.procsync.sync.Condition;
import dev.procsync.sync.Event;
import dev.procsync.sync.RLock;
import dev.procsync.sync.Semaphore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.locks.LockSupport;

/**
 * Campaign scenarios for RLock, Semaphore, BoundedSemaphore, Event, Barrier and Condition. Board
 * words (see {@link CampaignScenario}): 184 RLock a, 192 RLock b, 200 RLock recoveries, 208 RLock
 * repairs, 216 barrier rounds, 224 barrier breaks, 232 condition signals, 240 event wake-ups,
 * 248 semaphore acquisitions, 168 semaphore acquires that timed out.
 */
final class SyncScenarios {
    static final int RA = 184;
    static final int RB = 192;
    static final int RRECOVERIES = 200;
    static final int RREPAIRS = 208;
    static final int ROUNDS = 216;
    static final int BREAKS = 224;
    static final int SIGNALS = 232;
    static final int EVENT_WAKEUPS = 240;
    static final int SEM_ACQUIRES = 248;
    static final int SEM_STARVED = 168; // the word the raw counter used before SharedLong

    private SyncScenarios() {
    }

    private static void park(Random random, int maxMicros) {
        LockSupport.parkNanos(1_000L * (1 + random.nextInt(maxMicros)));
    }

    /** RLock: nested twice, the same half-done-section protocol as the Lock scenario. */
    static final class RLockScenario extends CampaignScenario {
        private final Segment board;
        private final RLock lock;
        private long byChecker;

        RLockScenario(Namespace ns, Segment board) {
            this.board = board;
            this.lock = ns.rlock("campaign-rlock");
        }

        @Override
        String name() {
            return "RLock";
        }

        @Override
        int weight() {
            return 3;
        }

        @Override
        void step(int slot, Random random) throws Exception {
            if (!lock.tryAcquire(Duration.ofSeconds(10))) {
                violation(board, "rlock not acquired within 10 s " + lock);
                return;
            }
            try {
                enter(lock.previousOwnerDied(), true);
                if (!lock.tryAcquire() || lock.holdCount() != 2) {
                    violation(board, "rlock not reentrant: hold count " + lock.holdCount());
                    return;
                }
                try {
                    board.setLongRelease(RA, board.getLongAcquire(RA) + 1);
                    if (random.nextInt(4) == 0) {
                        park(random, 2000);
                    }
                    board.setLongRelease(RB, board.getLongAcquire(RB) + 1);
                } finally {
                    lock.release();
                }
            } finally {
                lock.release();
            }
        }

        private void enter(boolean ownerDied, boolean inWorker) {
            long a = board.getLongAcquire(RA);
            long b = board.getLongAcquire(RB);
            if (ownerDied) {
                board.getAndAddLong(RRECOVERIES, 1);
                if (a != b) {
                    board.setLongRelease(RB, a);
                    board.getAndAddLong(RREPAIRS, 1);
                }
            } else if (a != b) {
                if (inWorker) {
                    violation(board, "rlock: a=" + a + " b=" + b + " without the owner-died signal");
                } else {
                    throw new AssertionError("rlock: a=" + a + " b=" + b + " without the owner-died signal");
                }
            }
        }

        @Override
        void checkAfterKill(int deadPid, int deadSlot, Duration bound) throws Exception {
            assertTrue(lock.tryAcquire(bound), () -> "rlock not recoverable after killing " + deadPid + ": " + lock);
            try {
                boolean died = lock.previousOwnerDied();
                byChecker += died ? 1 : 0;
                enter(died, false);
            } finally {
                lock.release();
            }
        }

        @Override
        void finalCheck(int kills) throws Exception {
            checkAfterKill(0, 0, Duration.ofSeconds(15));
            assertEquals(board.getLongAcquire(RA), board.getLongAcquire(RB));
        }

        @Override
        Map<String, Long> figures() {
            Map<String, Long> f = new LinkedHashMap<>();
            f.put("sections", board.getLongAcquire(RB));
            f.put("recoveredFromDeadHolder", board.getLongAcquire(RRECOVERIES));
            f.put("ofWhichByTheChecker", byChecker);
            f.put("halfDoneSectionsRepaired", board.getLongAcquire(RREPAIRS));
            return f;
        }
    }

    /**
     * Semaphore (3 permits) and BoundedSemaphore (bound 3). Permits have no owner and a dead holder's
     * permit is lost (documented, as in Python); workers mark a holding bit in their slot and the
     * checker gives a dead worker's permit back, as an application would. The bit is set after the
     * acquire and cleared before the release, so a kill in between loses a permit silently (never
     * invents one): at the end, available permits lie in [permits - kills, permits], and a
     * BoundedSemaphore is never released past its bound.
     */
    static final class SemaphoreScenario extends CampaignScenario {
        static final int PERMITS = 3;
        private final Segment board;
        private final boolean bounded;
        private final Semaphore semaphore;
        private final BoundedSemaphore boundedSemaphore;
        private final int half;
        private long returned;

        SemaphoreScenario(Namespace ns, Segment board, boolean bounded) {
            this.board = board;
            this.bounded = bounded;
            this.semaphore = bounded ? null : ns.semaphore("campaign-semaphore", PERMITS);
            this.boundedSemaphore = bounded ? ns.boundedSemaphore("campaign-bounded", PERMITS) : null;
            this.half = bounded ? 4 : 0;
        }

        @Override
        String name() {
            return bounded ? "BoundedSemaphore" : "Semaphore";
        }

        @Override
        int weight() {
            return 2;
        }

        private boolean tryAcquire(Duration timeout) throws InterruptedException {
            return bounded ? boundedSemaphore.tryAcquire(timeout) : semaphore.tryAcquire(timeout);
        }

        private void release() {
            if (bounded) {
                boundedSemaphore.release();
            } else {
                semaphore.release();
            }
        }

        private int available() {
            return bounded ? boundedSemaphore.availablePermits() : semaphore.availablePermits();
        }

        @Override
        void step(int slot, Random random) throws Exception {
            if (!tryAcquire(Duration.ofMillis(50))) {
                // Not a violation: a permit taken by a worker killed before it recorded the holding is
                // lost for good (documented), and with 3 permits survivors may then wait their turn.
                board.getAndAddLong(SEM_STARVED, 1);
                return;
            }
            board.setIntRelease(holdingOffset(slot) + half, 1);
            board.getAndAddLong(SEM_ACQUIRES, 1);
            if (random.nextInt(4) == 0) {
                park(random, 2000);
            }
            board.setIntRelease(holdingOffset(slot) + half, 0);
            release();
        }

        @Override
        void checkAfterKill(int deadPid, int deadSlot, Duration bound) {
            if (board.getAndSetInt(holdingOffset(deadSlot) + half, 0) != 0) {
                release();
                returned++;
            }
            assertTrue(available() <= PERMITS, () -> name() + " holds more permits than it started with: "
                    + available());
        }

        @Override
        void finalCheck(int kills) {
            int available = available();
            assertTrue(available <= PERMITS && available >= PERMITS - kills, name() + ": " + available
                    + " permits after " + kills + " kills");
        }

        @Override
        Map<String, Long> figures() {
            Map<String, Long> f = new LinkedHashMap<>();
            f.put("deadHoldersPermitsReturned", returned);
            f.put("permitsLostInKillWindows", (long) (PERMITS - available()));
            f.put("timedOutAcquiresBothSemaphores", board.getLongAcquire(SEM_STARVED));
            return f;
        }
    }

    /** Event: set, clear and bounded waits; a waiter killed mid-wait must not stop others being woken. */
    static final class EventScenario extends CampaignScenario {
        private final Segment board;
        private final Event event;

        EventScenario(Namespace ns, Segment board) {
            this.board = board;
            this.event = ns.event("campaign-event");
        }

        @Override
        String name() {
            return "Event";
        }

        @Override
        void step(int slot, Random random) throws Exception {
            int op = random.nextInt(3);
            if (op == 0) {
                event.set();
            } else if (op == 1) {
                event.clear();
            } else if (event.await(Duration.ofNanos(1_000L * (1 + random.nextInt(1000))))) {
                board.getAndAddLong(EVENT_WAKEUPS, 1);
            }
        }

        @Override
        void checkAfterKill(int deadPid, int deadSlot, Duration bound) {
            // Survivors clear and set it concurrently, so no snapshot is checkable here; liveness is
            // the survivors' heartbeat, and waits keep being satisfied (finalCheck).
        }

        @Override
        void finalCheck(int kills) {
            assertTrue(board.getLongAcquire(EVENT_WAKEUPS) > 0, "no waiter ever saw the event set");
        }

        @Override
        Map<String, Long> figures() {
            return Map.of("waitsSatisfied", board.getLongAcquire(EVENT_WAKEUPS));
        }
    }

    /** Barrier of 2 parties: bounded awaits; a broken round (timeout or dead party) is reset and play goes on. */
    static final class BarrierScenario extends CampaignScenario {
        private final Segment board;
        private final Barrier barrier;

        BarrierScenario(Namespace ns, Segment board) {
            this.board = board;
            this.barrier = ns.barrier("campaign-barrier", 2);
        }

        @Override
        String name() {
            return "Barrier";
        }

        @Override
        void step(int slot, Random random) throws Exception {
            if (random.nextInt(4) != 0) {
                return; // a barrier round costs a rendezvous: keep it a quarter of this scenario's turns
            }
            try {
                barrier.await(Duration.ofMillis(5));
                board.getAndAddLong(ROUNDS, 1);
            } catch (BrokenBarrierException e) {
                board.getAndAddLong(BREAKS, 1);
                barrier.reset();
            }
        }

        @Override
        void checkAfterKill(int deadPid, int deadSlot, Duration bound) {
            // Liveness is the survivors' heartbeat (their awaits are bounded); breaks are counted.
        }

        @Override
        void finalCheck(int kills) {
            assertTrue(board.getLongAcquire(ROUNDS) > 0, "no barrier round ever completed");
        }

        @Override
        Map<String, Long> figures() {
            Map<String, Long> f = new LinkedHashMap<>();
            f.put("roundsCompleted", board.getLongAcquire(ROUNDS) / 2);
            f.put("brokenAwaits", board.getLongAcquire(BREAKS));
            return f;
        }
    }

    /** Condition over its RLock: signal or wait briefly while holding it; killed waiters absorb nothing. */
    static final class ConditionScenario extends CampaignScenario {
        private final Segment board;
        private final Condition condition;

        ConditionScenario(Namespace ns, Segment board) {
            this.board = board;
            this.condition = ns.condition("campaign-condition");
        }

        @Override
        String name() {
            return "Condition";
        }

        @Override
        void step(int slot, Random random) throws Exception {
            if (!condition.tryAcquire(Duration.ofSeconds(10))) {
                violation(board, "condition's lock not acquired within 10 s");
                return;
            }
            try {
                if (random.nextBoolean()) {
                    board.getAndAddLong(SIGNALS, condition.signal(1));
                } else {
                    condition.await(Duration.ofNanos(1_000L * (1 + random.nextInt(1000))));
                }
            } finally {
                condition.release();
            }
        }

        @Override
        void checkAfterKill(int deadPid, int deadSlot, Duration bound) throws Exception {
            assertTrue(condition.tryAcquire(bound), "condition's lock not recoverable after killing " + deadPid);
            condition.release();
        }

        @Override
        void finalCheck(int kills) {
        }

        @Override
        Map<String, Long> figures() {
            return Map.of("signalsDelivered", board.getLongAcquire(SIGNALS));
        }
    }
}
