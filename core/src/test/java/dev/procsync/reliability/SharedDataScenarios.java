package dev.procsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.codec.Codecs;
import dev.procsync.channel.JoinableQueue;
import dev.procsync.channel.QueueCapacity;
import dev.procsync.data.SharedLongArray;
import dev.procsync.data.SharedMemory;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import dev.procsync.sync.Mutex;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * Campaign scenarios for JoinableQueue, SharedArray and SharedMemory. Their counters live on a
 * segment of their own ("campaign-shared-board"):
 *
 * <pre>
 *  128             arrayCommitted[SLOTS]   per-worker atomic array increments recorded after they returned
 *  128+8*SLOTS     counters[16]            scenario counters (indices below)
 * </pre>
 */
final class SharedDataScenarios {
    static final int COMMITTED = 128;
    static final int COUNTERS = COMMITTED + 8 * CampaignScenario.SLOTS;
    static final int TASKS_DONE = COUNTERS;
    static final int JOINS_TRUE = COUNTERS + 8;
    static final int JOINS_TIMED_OUT = COUNTERS + 16;
    static final int BULK_WRITES = COUNTERS + 24;
    static final int BULK_READS = COUNTERS + 32;
    static final int BULK_RECOVERIES = COUNTERS + 40;
    static final int BULK_REPAIRS = COUNTERS + 48;
    static final int SHM_WRITES = COUNTERS + 56;
    static final int BOARD_END = COUNTERS + 8 * 16;

    private SharedDataScenarios() {
    }

    static Segment board(Namespace ns) {
        return ns.createOrOpen("campaign-shared-board", SegmentSpec.of(SegmentKind.SHARED_MEMORY, BOARD_END - 128),
                s -> { });
    }

    /**
     * JoinableQueue (documented guarantee: join() waits for the count, not for who holds a task; a
     * consumer killed between get and taskDone() leaves that task unfinished and joiners wait for it;
     * join(timeout) gives up; taskDone() never passes the number of puts). Workers put, get and
     * taskDone() (parking 0.2-2 ms between get and taskDone a quarter of the time, so kills land
     * there), and join with 1-5 ms timeouts, which must return within the bound. After each kill the
     * checker's join(10 ms) must return within the bound. At the end the checker drains and marks
     * each drained task done: the unfinished tasks left must be at most one per kill (each killed
     * worker held at most one task, or was inside one put); it marks those done as an application
     * that gave up on them would, join() then returns at once, and one more taskDone() is refused.
     */
    static final class JoinableQueueScenario extends CampaignScenario {
        private final Segment shared;
        private final Segment board;
        private final JoinableQueue<Long> queue;
        private long checkerJoins;
        private long leftByDead;

        JoinableQueueScenario(Namespace ns, Segment board) {
            this.board = board;
            this.shared = SharedDataScenarios.board(ns);
            this.queue = ns.joinableQueue("campaign-jqueue", Codecs.int64(), QueueCapacity.of(1 << 16, 1024));
        }

        @Override
        String name() {
            return "JoinableQueue";
        }

        @Override
        int weight() {
            return 2;
        }

        @Override
        void step(int slot, Random random) throws Exception {
            int op = random.nextInt(5);
            if (op < 2) {
                queue.offer((long) slot, Duration.ofMillis(10));
            } else if (op < 4) {
                Long id = queue.poll(Duration.ofNanos(1_000L * (1 + random.nextInt(1000))));
                if (id != null) {
                    if (random.nextInt(4) == 0) {
                        LockSupport.parkNanos(200_000 + random.nextInt(1_800_000)); // the kill window
                    }
                    queue.taskDone();
                    shared.getAndAddLong(TASKS_DONE, 1);
                }
            } else {
                long started = System.nanoTime();
                boolean joined = queue.join(Duration.ofMillis(1 + random.nextInt(5)));
                shared.getAndAddLong(joined ? JOINS_TRUE : JOINS_TIMED_OUT, 1);
                if (System.nanoTime() - started > 5_000_000_000L) {
                    violation(board, "joinable queue: join(<= 5 ms) took " + (System.nanoTime() - started) + " ns");
                }
            }
        }

        @Override
        void checkAfterKill(int deadPid, int deadSlot, Duration bound) throws Exception {
            long started = System.nanoTime();
            queue.join(Duration.ofMillis(10));
            long took = System.nanoTime() - started;
            assertTrue(took < bound.toNanos(), () -> "join(10 ms) took " + took + " ns after killing " + deadPid);
            checkerJoins++;
        }

        @Override
        void finalCheck(int kills) throws Exception {
            while (queue.poll(Duration.ofMillis(50)) != null) {
                queue.taskDone();
            }
            leftByDead = queue.unfinishedTasks();
            assertTrue(leftByDead <= kills, leftByDead + " unfinished tasks after draining, after " + kills
                    + " kills: at most one per killed worker is allowed");
            for (long i = 0; i < leftByDead; i++) {
                queue.taskDone();
            }
            assertTrue(queue.join(Duration.ofSeconds(15)), "join() did not return once every task was done");
            assertThrows(IllegalStateException.class, queue::taskDone, "taskDone() must never pass the puts");
        }

        @Override
        Map<String, Long> figures() {
            Map<String, Long> f = new LinkedHashMap<>();
            f.put("tasksDoneByWorkers", shared.getLongAcquire(TASKS_DONE));
            f.put("joinsReturnedTrue", shared.getLongAcquire(JOINS_TRUE));
            f.put("joinsTimedOut", shared.getLongAcquire(JOINS_TIMED_OUT));
            f.put("checkerJoinsAfterKill", checkerJoins);
            f.put("tasksLeftUnfinishedByDead", leftByDead);
            return f;
        }
    }

    /**
     * SharedArray (documented guarantee: int/long element atomics never lose an update between
     * processes; bulk copies are plain and must be published through a synchronizer, the array's
     * lock). Atomics: a worker increments a random element of a 16-long array, then records it in
     * its committed slot; at the end Σ elements − Σ committed ∈ [0, kills]. Bulk: under the bulk
     * array's lock a worker fills all 512 elements with one new value in two copyFrom calls,
     * parking 0.2-2 ms between them a quarter of the time; readers under the lock copyTo and find
     * every element equal. A torn array is only ever found by a holder told previousOwnerDied()
     * (which repairs it); anyone else finding it fails the run. The checker does the same read
     * after every kill.
     */
    static final class SharedArrayScenario extends CampaignScenario {
        static final int ATOMICS = 16;
        static final int BULK = 512;

        private final Segment shared;
        private final Segment board;
        private final SharedLongArray atomics;
        private final SharedLongArray bulk;
        private final Mutex lock;
        private long checkerRecoveries;

        SharedArrayScenario(Namespace ns, Segment board) {
            this.board = board;
            this.shared = SharedDataScenarios.board(ns);
            this.atomics = ns.longArray("campaign-array", ATOMICS);
            this.bulk = ns.longArray("campaign-bulk", BULK);
            this.lock = bulk.getLock();
        }

        @Override
        String name() {
            return "SharedArray";
        }

        @Override
        int weight() {
            return 2;
        }

        @Override
        void step(int slot, Random random) throws Exception {
            int op = random.nextInt(3);
            if (op == 0) {
                atomics.incrementAndGet(random.nextInt(ATOMICS));
                shared.getAndAddLong(COMMITTED + 8 * slot, 1);
                return;
            }
            if (!lock.tryAcquire(Duration.ofSeconds(10))) {
                violation(board, "array lock not acquired within 10 s (wedged?) " + lock);
                return;
            }
            try {
                long value = readConsistent(lock.previousOwnerDied(), true);
                if (op == 1) {
                    long[] fill = new long[BULK];
                    Arrays.fill(fill, value + 1);
                    bulk.copyFrom(fill, 0, 0, BULK / 2);
                    if (random.nextInt(4) == 0) {
                        LockSupport.parkNanos(200_000 + random.nextInt(1_800_000)); // half-written: kill here
                    }
                    bulk.copyFrom(fill, BULK / 2, BULK / 2, BULK / 2);
                    shared.getAndAddLong(BULK_WRITES, 1);
                } else {
                    shared.getAndAddLong(BULK_READS, 1);
                }
            } finally {
                lock.release();
            }
        }

        /** Reads the bulk array under the lock; repairs a torn one if the owner died, else flags it. */
        private long readConsistent(boolean ownerDied, boolean inWorker) {
            long[] seen = new long[BULK];
            bulk.copyTo(0, seen, 0, BULK);
            long max = Arrays.stream(seen).max().orElse(0);
            boolean torn = Arrays.stream(seen).anyMatch(v -> v != max);
            if (ownerDied) {
                shared.getAndAddLong(BULK_RECOVERIES, 1);
                if (torn) {
                    long[] fill = new long[BULK];
                    Arrays.fill(fill, max);
                    bulk.copyFrom(fill, 0, 0, BULK);
                    shared.getAndAddLong(BULK_REPAIRS, 1);
                }
            } else if (torn) {
                String what = "shared array torn without the owner-died signal: " + Arrays.toString(seen);
                if (inWorker) {
                    violation(board, what);
                } else {
                    throw new AssertionError(what);
                }
            }
            return max;
        }

        @Override
        void checkAfterKill(int deadPid, int deadSlot, Duration bound) throws Exception {
            assertTrue(lock.tryAcquire(bound), () -> "array lock not recoverable within " + bound
                    + " after killing " + deadPid + ": " + lock);
            try {
                boolean died = lock.previousOwnerDied();
                checkerRecoveries += died ? 1 : 0;
                readConsistent(died, false);
            } finally {
                lock.release();
            }
        }

        @Override
        void finalCheck(int kills) throws Exception {
            checkAfterKill(0, 0, Duration.ofSeconds(15));
            long committed = 0;
            for (int slot = 0; slot < SLOTS; slot++) {
                committed += shared.getLongAcquire(COMMITTED + 8 * slot);
            }
            long sum = Arrays.stream(atomics.toArray()).sum();
            assertTrue(sum >= committed && sum - committed <= kills, "array sum " + sum + " vs committed "
                    + committed + " after " + kills + " kills: an atomic update was lost or invented");
        }

        @Override
        Map<String, Long> figures() {
            Map<String, Long> f = new LinkedHashMap<>();
            f.put("atomicIncrements", Arrays.stream(atomics.toArray()).sum());
            f.put("bulkWrites", shared.getLongAcquire(BULK_WRITES));
            f.put("bulkReads", shared.getLongAcquire(BULK_READS));
            f.put("recoveredFromDeadHolder", shared.getLongAcquire(BULK_RECOVERIES));
            f.put("ofWhichByTheChecker", checkerRecoveries);
            f.put("tornArraysRepaired", shared.getLongAcquire(BULK_REPAIRS));
            return f;
        }
    }

    /**
     * SharedMemory (documented guarantee: every attached process sees the same bytes, and they stay
     * for everyone until unlink, whoever dies). Each worker owns a 64-byte record of one block: a
     * sequence word (release-stored through a VarHandle) and 56 payload bytes written with one bulk
     * put, seqlock style (odd while writing, parking 0.2-2 ms mid-write a quarter of the time). After
     * each kill the checker reads the dead worker's record: an even sequence 2n must have every
     * payload byte equal to (byte) n (the last committed write survives its writer), an odd one is a
     * write the kill interrupted.
     */
    static final class SharedMemoryScenario extends CampaignScenario {
        static final int RECORD = 64;
        static final int PAYLOAD = RECORD - 8;
        private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
                ByteOrder.LITTLE_ENDIAN);

        private final Segment shared;
        private final SharedMemory memory;
        private final ByteBuffer buffer;
        private long committedSeen;
        private long interruptedSeen;

        SharedMemoryScenario(Namespace ns, Segment board) {
            this.shared = SharedDataScenarios.board(ns);
            this.memory = ns.sharedMemory("campaign-shm", (long) RECORD * SLOTS);
            this.buffer = memory.buffer();
        }

        @Override
        String name() {
            return "SharedMemory";
        }

        @Override
        void step(int slot, Random random) {
            int at = slot * RECORD;
            long read = (long) LONGS.getAcquire(buffer, at);
            long seq = read + (read & 1); // a slot reused after a kill mid-write starts from the next even
            LONGS.setRelease(buffer, at, seq + 1); // odd: writing
            byte[] payload = new byte[PAYLOAD];
            Arrays.fill(payload, (byte) ((seq + 2) / 2));
            buffer.put(at + 8, payload, 0, PAYLOAD / 2);
            if (random.nextInt(4) == 0) {
                LockSupport.parkNanos(200_000 + random.nextInt(1_800_000)); // half-written: kill here
            }
            buffer.put(at + 8 + PAYLOAD / 2, payload, PAYLOAD / 2, PAYLOAD / 2);
            LONGS.setRelease(buffer, at, seq + 2); // even: committed
            shared.getAndAddLong(SHM_WRITES, 1);
        }

        @Override
        void checkAfterKill(int deadPid, int deadSlot, Duration bound) {
            int at = deadSlot * RECORD;
            long seq = (long) LONGS.getAcquire(buffer, at);
            if (seq % 2 != 0) {
                interruptedSeen++;
                return;
            }
            byte expected = (byte) (seq / 2);
            for (int i = 0; i < PAYLOAD; i++) {
                assertEquals(expected, buffer.get(at + 8 + i), "record of killed pid " + deadPid + " at sequence "
                        + seq + ", byte " + i + ": a committed write did not survive its writer");
            }
            committedSeen++;
        }

        @Override
        void finalCheck(int kills) {
            assertEquals(kills, committedSeen + interruptedSeen, "every killed worker's record was checked");
        }

        @Override
        Map<String, Long> figures() {
            Map<String, Long> f = new LinkedHashMap<>();
            f.put("recordWrites", shared.getLongAcquire(SHM_WRITES));
            f.put("deadRecordsIntact", committedSeen);
            f.put("deadRecordsMidWrite", interruptedSeen);
            return f;
        }
    }
}
