package dev.procsync.samples;

import dev.procsync.process.ChildProcess;
import dev.procsync.sync.Lock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Seed scenario 3: processes print "is running", work a little, then print "is done".
 * <ul>
 *   <li>{@code no-lock}: all start together and their lines interleave (fast, but confusing);
 *   <li>{@code lock}: the lock makes running/done a pair per process (serial, but readable);
 *   <li>{@code join}: the parent starts each process only after the previous one ended.
 * </ul>
 * Each line also goes to a shared transcript file, so the order can be checked afterwards.
 *
 * <pre>
 * samples/run.sh running-done [no-lock|lock|join]
 * </pre>
 */
public final class RunningDone {
    private RunningDone() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "lock";
        try (Sample sample = Sample.start("running-done")) {
            List<String> transcript = run(sample, 3, mode);
            sample.say("each process's 'running' is directly followed by its 'done': " + paired(transcript));
        }
    }

    /**
     * Runs {@code processes} workers in the given mode and returns the transcript.
     *
     * @param sample    the stage
     * @param processes how many workers
     * @param mode      {@code no-lock}, {@code lock} or {@code join}
     * @return the transcript lines, in the order they were written
     * @throws Exception if a worker fails
     */
    public static List<String> run(Sample sample, int processes, String mode) throws Exception {
        Path transcript = sample.dir().resolve("transcript.txt");
        Files.createFile(transcript);
        sample.say("mode " + mode + ": " + processes + " processes print 'running', work, then print 'done'");
        if (mode.equals("join")) {
            for (int i = 1; i <= processes; i++) {
                ChildProcess p = sample.spawn(Worker.class, "worker-" + i, transcript.toString(), mode);
                sample.join(p); // like p.join() right after p.start(): one process at a time
            }
        } else {
            StartGate gate = StartGate.open(sample.ns(), "gate");
            for (int i = 1; i <= processes; i++) {
                sample.spawn(Worker.class, "worker-" + i, transcript.toString(), mode);
            }
            gate.awaitArrivals(processes);
            gate.open();
            sample.joinAll();
        }
        return Files.readAllLines(transcript);
    }

    /**
     * Whether every "running" line is followed directly by the same process's "done" line.
     *
     * @param transcript the transcript lines
     * @return whether they come in pairs
     */
    public static boolean paired(List<String> transcript) {
        if (transcript.size() % 2 != 0) {
            return false;
        }
        for (int i = 0; i < transcript.size(); i += 2) {
            String running = transcript.get(i);
            String done = transcript.get(i + 1);
            if (!running.endsWith(" is running") || !done.endsWith(" is done")
                    || !running.replace(" is running", "").equals(done.replace(" is done", ""))) {
                return false;
            }
        }
        return true;
    }

    /** One worker process. */
    public static final class Worker {
        private Worker() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args); Lock lock = me.ns().lock("terminal")) {
                Path transcript = Path.of(me.args()[0]);
                String mode = me.args()[1];
                if (!mode.equals("join")) {
                    StartGate.open(me.ns(), "gate").arriveAndAwaitOpen();
                }
                boolean locked = mode.equals("lock");
                if (locked) {
                    lock.acquire();
                }
                try {
                    print(me, transcript, "is running");
                    Thread.sleep(100); // the work: Python's time.sleep(2), shortened
                    print(me, transcript, "is done");
                } finally {
                    if (locked) {
                        lock.release();
                    }
                }
            }
        }

        private static void print(Sample me, Path transcript, String what) throws IOException {
            String line = "pid " + ProcessHandle.current().pid() + " " + what;
            me.say(what);
            Files.writeString(transcript, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
    }
}
