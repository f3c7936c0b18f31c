package dev.procsync.reliability;

import dev.procsync.layout.HeaderLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One primitive's part in the kill-anywhere campaign: what a worker does with it ({@link #step}),
 * and what must hold after each kill and at the end. Shared counters live on the "board" segment:
 *
 * <pre>
 *  offset          field
 *  128             errors: invariant violations seen by workers (must stay 0)
 *  136..255        scenario words (each scenario documents its own)
 *  256             heartbeat[SLOTS]   each worker adds 1 per step
 *  256+8*SLOTS     committed[SLOTS]   per-worker records of committed work
 *  256+16*SLOTS    holding[SLOTS]     per-worker semaphore holdings (int 0 Semaphore, int 4 BoundedSemaphore)
 *  256+24*SLOTS    sent[SLOTS]        per-worker last pipe message whose send() returned
 * </pre>
 */
abstract class CampaignScenario {
    static final int SLOTS = 256;
    static final int ERRORS_OFFSET = HeaderLayout.LENGTH;
    static final int WORDS_OFFSET = ERRORS_OFFSET + 8;
    static final int HEARTBEATS_OFFSET = 256;
    static final int COMMITTED_OFFSET = HEARTBEATS_OFFSET + 8 * SLOTS;
    static final int HOLDING_OFFSET = COMMITTED_OFFSET + 8 * SLOTS;
    static final int SENT_OFFSET = HOLDING_OFFSET + 8 * SLOTS;
    static final int BOARD_BODY = SENT_OFFSET + 8 * SLOTS - HeaderLayout.LENGTH;

    static Segment board(Namespace ns) {
        return ns.createOrOpen("campaign-board", SegmentSpec.of(SegmentKind.SHARED_MEMORY, BOARD_BODY), s -> { });
    }

    static int heartbeatOffset(int slot) {
        return HEARTBEATS_OFFSET + 8 * slot;
    }

    static int committedOffset(int slot) {
        return COMMITTED_OFFSET + 8 * slot;
    }

    static int sentOffset(int slot) {
        return SENT_OFFSET + 8 * slot;
    }

    static int holdingOffset(int slot) {
        return HOLDING_OFFSET + 8 * slot;
    }

    /** Every scenario this build has a primitive for. */
    static List<CampaignScenario> all(Namespace ns) {
        Segment board = board(ns);
        List<CampaignScenario> all = new ArrayList<>();
        all.add(new LockScenario(ns, board));
        all.add(new CounterScenario(ns, board));
        all.add(new SyncScenarios.RLockScenario(ns, board));
        all.add(new SyncScenarios.SemaphoreScenario(ns, board, false));
        all.add(new SyncScenarios.SemaphoreScenario(ns, board, true));
        all.add(new SyncScenarios.EventScenario(ns, board));
        all.add(new SyncScenarios.BarrierScenario(ns, board));
        all.add(new SyncScenarios.ConditionScenario(ns, board));
        all.add(new DataScenarios.PipeScenario(ns, board));
        all.add(new DataScenarios.QueueScenario(ns, board));
        all.add(new SharedDataScenarios.JoinableQueueScenario(ns, board));
        all.add(new SharedDataScenarios.SharedArrayScenario(ns, board));
        all.add(new SharedDataScenarios.SharedMemoryScenario(ns, board));
        return all;
    }

    /** Records a violation seen inside a worker (the parent fails the run on any). */
    static void violation(Segment board, String what) {
        board.getAndAddLong(ERRORS_OFFSET, 1);
        System.out.println("VIOLATION " + what);
    }

    abstract String name();

    /** How often a worker picks this scenario relative to the others (1 by default). */
    int weight() {
        return 1;
    }

    /** In a worker, before it says GO (so a kill never finds it half-attached). */
    void workerStart(int slot) throws Exception {
    }

    /** In the parent, before the worker for {@code slot} starts. */
    void beforeStart(int slot) throws Exception {
    }

    /** One random operation in a worker. */
    abstract void step(int slot, Random random) throws Exception;

    /** In the parent, right after a worker was killed and reaped: bounded checks. */
    abstract void checkAfterKill(int deadPid, int deadSlot, Duration bound) throws Exception;

    /** In the parent, after every worker is gone. */
    abstract void finalCheck(int kills) throws Exception;

    /** What to report. */
    abstract Map<String, Long> figures();

    /**
     * Lock: words a and b at 136/144 are equal outside the critical section; a holder increments a,
     * then b. A holder killed between leaves a != b, which only a holder told previousOwnerDied() may
     * find (and repairs); anyone else finding it means mutual exclusion broke. Recoveries at 152,
     * repairs at 160, sections at 176.
     */
    static final class LockScenario extends CampaignScenario {
        static final int A = WORDS_OFFSET;
        static final int B = WORDS_OFFSET + 8;
        static final int RECOVERIES = WORDS_OFFSET + 16;
        static final int REPAIRS = WORDS_OFFSET + 24;
        static final int SECTIONS = WORDS_OFFSET + 40;

        private final Segment board;
        private final dev.procsync.sync.Lock lock;
        private long parentRecoveries;

        LockScenario(Namespace ns, Segment board) {
            this.board = board;
            this.lock = ns.lock("campaign-lock");
        }

        @Override
        String name() {
            return "Lock";
        }

        @Override
        int weight() {
            return 3; // the owner-death path is what the campaign most wants killed in the middle of
        }

        @Override
        void step(int slot, Random random) throws Exception {
            if (!lock.tryAcquire(Duration.ofSeconds(10))) {
                violation(board, "lock not acquired within 10 s (wedged?) " + lock);
                return;
            }
            try {
                enter(lock.previousOwnerDied(), true);
                board.setLongRelease(A, board.getLongAcquire(A) + 1);
                if (random.nextInt(4) == 0) {
                    // Hold it a while, half-done: this is the moment a kill must be recoverable from.
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000 + random.nextInt(1_800_000));
                }
                board.setLongRelease(B, board.getLongAcquire(B) + 1);
                board.getAndAddLong(SECTIONS, 1);
            } finally {
                lock.release();
            }
        }

        private void enter(boolean ownerDied, boolean inWorker) {
            long a = board.getLongAcquire(A);
            long b = board.getLongAcquire(B);
            if (ownerDied) {
                board.getAndAddLong(RECOVERIES, 1);
                if (a != b) {
                    board.setLongRelease(B, a);
                    board.getAndAddLong(REPAIRS, 1);
                }
            } else if (a != b) {
                if (inWorker) {
                    violation(board, "lock: a=" + a + " b=" + b + " without the owner-died signal");
                } else {
                    throw new AssertionError("lock: a=" + a + " b=" + b + " without the owner-died signal");
                }
            }
        }

        @Override
        void checkAfterKill(int deadPid, int deadSlot, Duration bound) throws Exception {
            assertTrue(lock.tryAcquire(bound), () -> "lock not recoverable within " + bound + " after killing "
                    + deadPid + ": " + lock);
            try {
                boolean died = lock.previousOwnerDied();
                if (died) {
                    parentRecoveries++;
                }
                enter(died, false);
            } finally {
                lock.release();
            }
        }

        @Override
        void finalCheck(int kills) throws Exception {
            checkAfterKill(0, 0, Duration.ofSeconds(15));
            assertEquals(board.getLongAcquire(A), board.getLongAcquire(B));
            assertTrue(figures().get("recoveredFromDeadHolder") > 0 || kills < 50,
                    "no kill ever landed while the lock was held: the campaign did not test recovery");
        }

        @Override
        Map<String, Long> figures() {
            Map<String, Long> f = new LinkedHashMap<>();
            f.put("criticalSections", board.getLongAcquire(SECTIONS));
            f.put("recoveredFromDeadHolder", board.getLongAcquire(RECOVERIES));
            f.put("ofWhichByTheChecker", parentRecoveries);
            f.put("halfDoneSectionsRepaired", board.getLongAcquire(REPAIRS));
            return f;
        }
    }

    /**
     * A {@link dev.procsync.data.SharedLong} counter: a worker adds 1, then records it in its
     * committed slot. A kill between the two leaves the counter at most one ahead per kill; never
     * behind, never more.
     */
    static final class CounterScenario extends CampaignScenario {
        private final Segment board;
        private final dev.procsync.data.SharedLong counter;

        CounterScenario(Namespace ns, Segment board) {
            this.board = board;
            this.counter = ns.sharedLong("campaign-counter");
        }

        @Override
        String name() {
            return "SharedLong";
        }

        @Override
        void step(int slot, Random random) {
            counter.getAndAdd(1);
            board.getAndAddLong(committedOffset(slot), 1);
        }

        @Override
        void checkAfterKill(int deadPid, int deadSlot, Duration bound) {
            // Checked at the end: survivors increment concurrently, so only the final sums are exact.
        }

        @Override
        void finalCheck(int kills) {
            long committed = 0;
            for (int slot = 0; slot < SLOTS; slot++) {
                committed += board.getLongAcquire(committedOffset(slot));
            }
            long value = counter.get();
            assertTrue(value >= committed && value - committed <= kills, "counter " + value + " vs committed "
                    + committed + " after " + kills + " kills: work lost or invented");
        }

        @Override
        Map<String, Long> figures() {
            return Map.of("increments", counter.get());
        }
    }
}
