package dev.procsync.samples;

import dev.procsync.data.SharedInt;
import dev.procsync.data.SharedIntArray;
import dev.procsync.sync.Lock;
import java.util.Arrays;

/**
 * Seed scenario 2, {@code add1}/{@code add3}: two processes add 1 and 3 to a number, five times
 * each, under one lock.
 * <ul>
 *   <li>A plain {@code int} is each process's own copy: both count from 0 and the parent's number
 *       stays 0. The lock keeps the two runs from interleaving.
 *   <li>A {@link SharedInt} is one number for all: the total is exactly 5 * 1 + 5 * 3 = 20.
 *       ({@code number.set(number.get() + value)} is a read and a write, so it is done under the
 *       value's lock; {@code number.addAndGet(value)} alone would be atomic too.)
 *   <li>A {@link SharedIntArray} {@code [0..9]} negated by a child is seen negated by the parent.
 * </ul>
 *
 * <pre>
 * samples/run.sh add-numbers [times]
 * </pre>
 */
public final class AddNumbers {
    private AddNumbers() {
    }

    /** The outcome: the shared total, the most adders ever inside the lock at once, the array after. */
    public record Result(int sharedTotal, long mostInside, int[] array) {
    }

    public static void main(String[] args) throws Exception {
        int times = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        try (Sample sample = Sample.start("add-numbers")) {
            Result r = run(sample, times);
            sample.say("shared number = " + r.sharedTotal() + " (expected " + (times * 1 + times * 3) + ")");
            sample.say("array after the child negated it: " + Arrays.toString(r.array()));
        }
    }

    /**
     * Runs the adders and then the array negator.
     *
     * @param sample the stage
     * @param times  how often each adder adds
     * @return the outcome
     * @throws Exception if a child fails
     */
    public static Result run(Sample sample, int times) throws Exception {
        int number = 0; // the parent's own copy: no child can change it
        try (SharedInt shared = SharedInt.open(sample.ns(), "number");
                SharedIntArray arr = SharedIntArray.open(sample.ns(), "arr", 10)) {
            for (int i = 0; i < arr.length(); i++) {
                arr.set(i, i); // multiprocessing.Array('i', range(10))
            }
            sample.say("array before: " + Arrays.toString(arr.toArray()));

            StartGate gate = StartGate.open(sample.ns(), "go");
            sample.spawn(Adder.class, "add1", "1", Integer.toString(times));
            sample.spawn(Adder.class, "add3", "3", Integer.toString(times));
            gate.awaitArrivals(2);
            gate.open();
            sample.joinAll();
            sample.say("main's own number is still " + number + "; main end");

            sample.join(sample.spawn(Negator.class, "negate"));
            return new Result(shared.get(), Tally.open(sample.ns(), "most-inside").get(), arr.toArray());
        }
    }

    /** {@code add(number, value, lock)}: adds {@code value} several times under the lock. */
    public static final class Adder {
        private Adder() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args); Lock lock = me.ns().lock("lock");
                    SharedInt shared = SharedInt.open(me.ns(), "number", lock)) {
                int value = Integer.parseInt(me.args()[0]);
                int times = Integer.parseInt(me.args()[1]);
                Tally inside = Tally.open(me.ns(), "inside");
                Tally mostInside = Tally.open(me.ns(), "most-inside");
                int number = 0; // this process's own copy
                StartGate.open(me.ns(), "go").arriveAndAwaitOpen();

                lock.acquire();
                try {
                    mostInside.max(inside.add(1));
                    me.say("init add" + value + " number = " + number + ", shared = " + shared.get());
                    for (int i = 0; i < times; i++) {
                        number += value;
                        shared.set(shared.get() + value); // read and write: safe only under the lock
                        me.say("add" + value + " number = " + number + ", shared = " + shared.get());
                        Thread.yield();
                    }
                    inside.add(-1);
                } finally {
                    lock.release();
                }
            }
        }
    }

    /** Negates every element of the shared array. */
    public static final class Negator {
        private Negator() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args); SharedIntArray arr = SharedIntArray.open(me.ns(), "arr", 10)) {
                for (int i = 0; i < arr.length(); i++) {
                    arr.set(i, -arr.get(i));
                }
                me.say("negated the array: " + Arrays.toString(arr.toArray()));
            }
        }
    }
}
