package dev.procsync.samples;

import dev.procsync.sync.Lock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seed scenario 4, the ticket rush: a JSON file is the "database" ({@code {"count":3}}) and
 * buyers in several processes read it, wait a little (the network), and write it back with one
 * ticket fewer. With the lock around read-check-write no ticket is ever sold twice; with
 * {@code --no-lock} several buyers see the same last ticket and all of them "buy" it.
 *
 * <pre>
 * samples/run.sh tickets                      # {"count":3}, 5 buyers, one process each
 * samples/run.sh tickets 1 100 4              # {"count":1}, 100 buyers in 4 processes
 * samples/run.sh tickets 3 5 5 --no-lock      # the race the lock prevents
 * </pre>
 */
public final class TicketRush {
    private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(-?\\d+)");

    private TicketRush() {
    }

    /** How the rush ended: tickets in stock at the start, buyers served, left in the file. */
    public record Result(int stock, long sold, int leftInFile) {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        boolean locked = !a.remove("--no-lock");
        int stock = a.size() > 0 ? Integer.parseInt(a.get(0)) : 3;
        int buyers = a.size() > 1 ? Integer.parseInt(a.get(1)) : 5;
        int processes = a.size() > 2 ? Integer.parseInt(a.get(2)) : buyers;
        try (Sample sample = Sample.start("tickets")) {
            Result r = run(sample, stock, buyers, processes, locked);
            sample.say(r.sold() + " tickets sold of " + r.stock() + (r.sold() > r.stock() ? ": OVERSOLD" : "")
                    + "; the database says " + r.leftInFile() + " left");
        }
    }

    /**
     * Runs a rush of {@code buyers} buyers spread over {@code processes} processes.
     *
     * @param sample    the stage
     * @param stock     tickets in the database at the start
     * @param buyers    how many buyers
     * @param processes how many buyer processes (buyers are threads within them)
     * @param locked    whether buyers take the lock
     * @return the outcome
     * @throws Exception if a buyer process fails
     */
    public static Result run(Sample sample, int stock, int buyers, int processes, boolean locked) throws Exception {
        Path db = sample.dir().resolve("ticket.json");
        Files.writeString(db, "{\"count\":" + stock + "}");
        sample.say("database " + Files.readString(db) + ", " + buyers + " buyers in " + processes + " processes, "
                + (locked ? "with" : "WITHOUT") + " the lock");
        StartGate gate = StartGate.open(sample.ns(), "doors");
        int next = 0;
        for (int p = 0; p < processes; p++) {
            int share = buyers / processes + (p < buyers % processes ? 1 : 0);
            sample.spawn(Buyers.class, "buyers-" + (p + 1), db.toString(), Integer.toString(next),
                    Integer.toString(share), locked ? "lock" : "no-lock");
            next += share;
        }
        gate.awaitArrivals(processes);
        gate.open(); // the doors open: everyone rushes at once
        sample.joinAll();
        return new Result(stock, Tally.open(sample.ns(), "sold").get(), readCount(db));
    }

    static int readCount(Path db) throws IOException {
        Matcher m = COUNT.matcher(Files.readString(db));
        if (!m.find()) {
            throw new IOException("no count in " + db);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Replaces the file in one step, so a reader sees the old or the new JSON, never half of it. */
    static void writeCount(Path db, int count) throws IOException {
        Path tmp = Files.createTempFile(db.getParent(), "ticket", ".tmp");
        Files.writeString(tmp, "{\"count\":" + count + "}", StandardCharsets.UTF_8);
        Files.move(tmp, db, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A buyer process: its buyers are threads, each trying once to buy a ticket. */
    public static final class Buyers {
        private Buyers() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args); Lock lock = me.ns().lock("db")) {
                Path db = Path.of(me.args()[0]);
                int first = Integer.parseInt(me.args()[1]);
                int count = Integer.parseInt(me.args()[2]);
                boolean locked = me.args()[3].equals("lock");
                Tally sold = Tally.open(me.ns(), "sold");
                StartGate.open(me.ns(), "doors").arriveAndAwaitOpen();
                ExecutorService people = Executors.newFixedThreadPool(count);
                List<Future<?>> tries = new ArrayList<>();
                for (int i = first; i < first + count; i++) {
                    int person = i;
                    tries.add(people.submit(() -> buy(me, person, db, lock, locked, sold)));
                }
                for (Future<?> f : tries) {
                    f.get(Sample.PATIENCE.toSeconds(), TimeUnit.SECONDS);
                }
                people.shutdown();
            }
        }

        private static Void buy(Sample me, int person, Path db, Lock lock, boolean locked, Tally sold)
                throws IOException, InterruptedException {
            me.say("person " + person + " sees " + readCount(db) + " tickets left");
            if (locked) {
                lock.acquire();
            }
            try {
                int left = readCount(db);
                latency(); // reading from the "remote" database
                if (left > 0) {
                    writeCount(db, left - 1);
                    sold.add(1);
                    me.say("person " + person + " bought a ticket");
                } else {
                    me.say("person " + person + " found it sold out");
                }
                latency(); // writing to it
            } finally {
                if (locked) {
                    lock.release();
                }
            }
            return null;
        }

        private static void latency() throws InterruptedException {
            Thread.sleep(ThreadLocalRandom.current().nextInt(2, 8));
        }
    }
}
