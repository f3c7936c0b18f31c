package dev.procsync.samples;

import dev.procsync.sync.Lock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Seed scenario 4 across languages: the tutorial's Python ticket rush ({@code samples/python/
 * ticket_rush.py}, five buyer processes, unchanged but for the Lock's constructor) and a JVM
 * buyer process rush the same {@code ticket} file under one procsync Lock named "db". However the
 * buyers interleave, exactly as many tickets are sold as there were.
 *
 * <pre>
 * samples/run.sh tickets-python [stock] [jvm-buyers]     # needs python3 and PYTHONPATH=python
 * </pre>
 */
public final class TicketRushWithPython {
    private TicketRushWithPython() {
    }

    public static void main(String[] args) throws Exception {
        int stock = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int jvmBuyers = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (Sample sample = Sample.start("tickets-python")) {
            Result r = run(sample, stock, jvmBuyers, Path.of("samples/python/ticket_rush.py"), null);
            sample.say("the database says " + r.left() + " left of " + stock + " (each buyer said above what it got)");
        }
    }

    /** How the rush ended: tickets sold (both languages' reports counted) and left in the file. */
    public record Result(int sold, int left) {
    }

    /**
     * Writes {@code {"count":stock}}, starts the JVM buyers and the Python rush, waits for both.
     *
     * @param pythonPath the procsync package's directory for PYTHONPATH, or null to inherit it
     * @return the outcome
     */
    public static Result run(Sample sample, int stock, int jvmBuyers, Path script, String pythonPath)
            throws Exception {
        Path db = sample.dir().resolve("ticket");
        Files.writeString(db, "{\"count\":" + stock + "}");
        sample.spawn(JvmBuyers.class, "jvm-buyers", db.toString(), Integer.toString(jvmBuyers));
        ProcessBuilder pb = new ProcessBuilder("python3", script.toAbsolutePath().toString())
                .directory(sample.dir().toFile()).redirectErrorStream(true);
        pb.environment().put("PROCSYNC_ROOT", sample.ns().options().root().toString());
        pb.environment().put("TICKETS_NAMESPACE", sample.ns().name());
        if (pythonPath != null) {
            pb.environment().put("PYTHONPATH", pythonPath);
        }
        Process python = pb.start();
        int sold = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                sample.say("python: " + line);
                if (line.contains("购票成功")) {
                    sold++;
                }
            }
        }
        if (!python.waitFor(Sample.PATIENCE.toSeconds(), TimeUnit.SECONDS) || python.exitValue() != 0) {
            python.destroyForcibly();
            throw new IllegalStateException("the Python rush failed");
        }
        sample.joinAll();
        for (var child : sample.children()) {
            sold += child.output().split("bought a ticket", -1).length - 1;
        }
        return new Result(sold, TicketRush.readCount(db));
    }

    /** JVM buyers, one after another in this process, each as the tutorial's buy_ticket. */
    public static final class JvmBuyers {
        private JvmBuyers() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args); Lock lock = me.ns().lock("db")) {
                Path db = Path.of(me.args()[0]);
                int buyers = Integer.parseInt(me.args()[1]);
                for (int person = 0; person < buyers; person++) {
                    lock.acquire();
                    try {
                        int left = TicketRush.readCount(db);
                        Thread.sleep(ThreadLocalRandom.current().nextInt(50, 300)); // reading latency
                        if (left > 0) {
                            TicketRush.writeCount(db, left - 1);
                            me.say("jvm person " + person + " bought a ticket");
                        } else {
                            me.say("jvm person " + person + " found it sold out");
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        lock.release();
                    }
                }
            }
        }
    }
}
