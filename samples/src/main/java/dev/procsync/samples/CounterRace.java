package dev.procsync.samples;

import dev.procsync.data.SharedLong;
import dev.procsync.sync.Barrier;
import dev.procsync.sync.Lock;

/**
 * The flagship demo: several JVM processes add to one counter in shared memory, first under a
 * procsync {@link Lock}, then without it.
 *
 * <p>Each increment is a read followed by a write ({@code counter.set(counter.get() + 1)}), like
 * {@code number.value += 1} in Python. Under the lock no update is lost; without it two processes
 * read the same value, both write value + 1, and one increment disappears. (A {@link SharedLong}
 * also has {@code incrementAndGet()}, one atomic instruction that never loses an update without
 * any lock; the read-then-write here stands for any update that spans more than one word.)
 *
 * <p>The processes step through the two rounds together on a {@link Barrier}, so that they
 * really overlap (child JVMs start half a second apart).
 *
 * <pre>
 * samples/run.sh counter [workers] [increments-per-worker]
 * </pre>
 */
public final class CounterRace {
    private CounterRace() {
    }

    /** What the two rounds counted. */
    public record Result(long expected, long withLock, long withoutLock) {
    }

    public static void main(String[] args) throws Exception {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int increments = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        try (Sample sample = Sample.start("counter")) {
            run(sample, workers, increments);
        }
    }

    /**
     * Runs both rounds with {@code workers} child JVMs adding {@code increments} each.
     *
     * @param sample     the stage
     * @param workers    how many processes
     * @param increments increments per process and round
     * @return the totals
     * @throws Exception if a child fails or a wait times out
     */
    public static Result run(Sample sample, int workers, int increments) throws Exception {
        SharedLong counter = SharedLong.open(sample.ns(), "counter");
        // The workers and this process step through the rounds together (a cyclic barrier).
        Barrier steps = sample.ns().barrier("steps", workers + 1);
        long expected = (long) workers * increments;
        sample.say(workers + " processes will each add 1 to a shared counter " + increments + " times");

        for (int i = 1; i <= workers; i++) {
            sample.spawn(Worker.class, "worker-" + i, Integer.toString(workers), Integer.toString(increments));
        }
        steps.await(Sample.PATIENCE); // 1: everyone is ready; round one starts for all at once
        steps.await(Sample.PATIENCE); // 2: every worker has finished round one
        long withLock = counter.get();
        sample.say(String.format("with the lock:    %,d of %,d increments kept, %s", withLock, expected,
                withLock == expected ? "none lost" : (expected - withLock) + " LOST"));
        counter.set(0);
        steps.await(Sample.PATIENCE); // 3: round two starts

        sample.joinAll();
        long withoutLock = counter.get();
        sample.say(String.format("without the lock: %,d of %,d increments kept, %,d lost", withoutLock, expected,
                expected - withoutLock));
        return new Result(expected, withLock, withoutLock);
    }

    /** A child process: adds to the counter under the lock, then without it. */
    public static final class Worker {
        private Worker() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args)) {
                int workers = Integer.parseInt(me.args()[0]);
                int increments = Integer.parseInt(me.args()[1]);
                SharedLong counter = SharedLong.open(me.ns(), "counter");
                Lock lock = me.ns().lock("counter-lock");
                Barrier steps = me.ns().barrier("steps", workers + 1);

                steps.await(Sample.PATIENCE); // 1: round one, under the lock
                long start = System.nanoTime();
                for (int i = 0; i < increments; i++) {
                    lock.acquire();
                    try {
                        counter.set(counter.get() + 1);
                    } finally {
                        lock.release();
                    }
                }
                me.say(String.format("added %,d under the lock in %d ms", increments,
                        (System.nanoTime() - start) / 1_000_000));

                steps.await(Sample.PATIENCE); // 2: done with round one
                steps.await(Sample.PATIENCE); // 3: the counter is back to 0: round two, no lock
                start = System.nanoTime();
                for (int i = 0; i < increments; i++) {
                    // Read, then write: another process may write in between, and its update is lost.
                    counter.set(counter.get() + 1);
                }
                me.say(String.format("added %,d without the lock in %d ms", increments,
                        (System.nanoTime() - start) / 1_000_000));
            }
        }
    }
}
