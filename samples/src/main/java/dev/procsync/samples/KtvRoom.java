package dev.procsync.samples;

import dev.procsync.sync.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Seed scenario 5, the KTV: a mall has 4 karaoke rooms ({@code Semaphore(4)}) and 5 groups want
 * to sing. Four go in at once; the fifth waits outside until a group comes out.
 *
 * <pre>
 * samples/run.sh ktv [rooms] [groups]
 * </pre>
 */
public final class KtvRoom {
    private KtvRoom() {
    }

    /** How the evening went: rooms, groups that sang, and the most groups ever inside at once. */
    public record Result(int rooms, long sang, long mostInside) {
    }

    public static void main(String[] args) throws Exception {
        int rooms = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        try (Sample sample = Sample.start("ktv")) {
            Result r = run(sample, rooms, groups);
            sample.say(r.sang() + " groups sang; at most " + r.mostInside() + " were inside at once (" + r.rooms()
                    + " rooms)");
        }
    }

    /**
     * Lets {@code groups} processes compete for {@code rooms} permits.
     *
     * @param sample the stage
     * @param rooms  the semaphore's permits
     * @param groups how many group processes
     * @return what happened
     * @throws Exception if a group fails
     */
    public static Result run(Sample sample, int rooms, int groups) throws Exception {
        sample.ns().semaphore("rooms", rooms).close(); // created with 4 permits before anyone sings
        StartGate gate = StartGate.open(sample.ns(), "mall-opens");
        for (int i = 1; i <= groups; i++) {
            sample.spawn(Group.class, "group-" + i, Integer.toString(rooms));
        }
        gate.awaitArrivals(groups);
        gate.open();
        sample.joinAll();
        return new Result(rooms, Tally.open(sample.ns(), "sang").get(), Tally.open(sample.ns(), "most-inside").get());
    }

    /** One group of singers. */
    public static final class Group {
        private Group() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args); Semaphore rooms = me.ns().semaphore("rooms",
                    Integer.parseInt(me.args()[0]))) {
                Tally inside = Tally.open(me.ns(), "inside");
                Tally mostInside = Tally.open(me.ns(), "most-inside");
                StartGate.open(me.ns(), "mall-opens").arriveAndAwaitOpen();

                rooms.acquire(); // wait for a free room
                try {
                    mostInside.max(inside.add(1)); // count who is inside, to check the bound
                    me.say("came in to sing");
                    Thread.sleep(ThreadLocalRandom.current().nextInt(100, 400)); // singing
                    me.say("left the KTV");
                    inside.add(-1);
                } finally {
                    rooms.release();
                }
                Tally.open(me.ns(), "sang").add(1);
            }
        }
    }
}
