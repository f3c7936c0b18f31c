package dev.procsync.samples;

import dev.procsync.sync.Lock;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Seed scenario 1: two processes append to one file. One takes the lock with try-with-resources
 * (Python's {@code with lock:}), the other with explicit {@code acquire()}/{@code release()} in
 * {@code try/finally}. With the lock each writer's block of lines stays in one piece; run with
 * {@code --no-lock} to see the blocks interleave.
 *
 * <pre>
 * samples/run.sh file-append [--no-lock]
 * </pre>
 */
public final class FileAppend {
    /** Lines per block: one block is written per hold of the lock. */
    public static final int BLOCK = 10;

    private FileAppend() {
    }

    public static void main(String[] args) throws Exception {
        boolean locked = !List.of(args).contains("--no-lock");
        try (Sample sample = Sample.start("file-append")) {
            List<String> lines = run(sample, 5, locked);
            sample.say("file.txt has " + lines.size() + " lines; every writer's block in one piece: "
                    + blocksIntact(lines));
        }
    }

    /**
     * Starts the two writers, each appending {@code blocks} blocks, and returns the file's lines.
     *
     * @param sample the stage
     * @param blocks blocks per writer
     * @param locked whether the writers take the lock
     * @return the lines of the file
     * @throws Exception if a writer fails
     */
    public static List<String> run(Sample sample, int blocks, boolean locked) throws Exception {
        Path file = sample.dir().resolve("file.txt");
        StartGate gate = StartGate.open(sample.ns(), "gate");
        String mode = locked ? "lock" : "no-lock";
        sample.spawn(WithTryWithResources.class, "writer-with", file.toString(), mode, Integer.toString(blocks));
        sample.spawn(WithAcquireRelease.class, "writer-direct", file.toString(), mode, Integer.toString(blocks));
        gate.awaitArrivals(2);
        gate.open();
        sample.joinAll();
        return Files.readAllLines(file);
    }

    /**
     * Whether the lines form whole blocks of {@link #BLOCK} lines, each from one writer.
     *
     * @param lines the file's lines
     * @return whether no block was split
     */
    public static boolean blocksIntact(List<String> lines) {
        if (lines.size() % BLOCK != 0) {
            return false;
        }
        for (int i = 0; i < lines.size(); i++) {
            if (!writerOf(lines.get(i)).equals(writerOf(lines.get(i - i % BLOCK)))) {
                return false;
            }
        }
        return true;
    }

    private static String writerOf(String line) {
        return line.substring(0, line.indexOf(':'));
    }

    /** Appends one block, one write per line, so another process could slip in between lines. */
    static void appendBlock(Sample me, Path file, String text) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            for (int i = 0; i < BLOCK; i++) {
                out.write(me.role() + ": " + text + "\n");
                out.flush();
                Thread.yield();
            }
        }
    }

    /** A writer that holds the lock with try-with-resources, like Python's {@code with lock:}. */
    public static final class WithTryWithResources {
        private WithTryWithResources() {
        }

        @SuppressWarnings("try") // the hold is used only for its scope
        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args); Lock lock = me.ns().lock("file")) {
                Path file = Path.of(me.args()[0]);
                boolean locked = me.args()[1].equals("lock");
                int blocks = Integer.parseInt(me.args()[2]);
                StartGate.open(me.ns(), "gate").arriveAndAwaitOpen();
                for (int b = 0; b < blocks; b++) {
                    if (locked) {
                        try (Lock.Hold hold = lock.hold()) {
                            appendBlock(me, file, "lock acquired via try-with-resources");
                        }
                    } else {
                        appendBlock(me, file, "no lock at all");
                    }
                }
                me.say("appended " + blocks + " blocks of " + BLOCK + " lines");
            }
        }
    }

    /** A writer that calls acquire and release itself, releasing in {@code finally}. */
    public static final class WithAcquireRelease {
        private WithAcquireRelease() {
        }

        public static void main(String[] args) throws Exception {
            try (Sample me = Sample.child(args); Lock lock = me.ns().lock("file")) {
                Path file = Path.of(me.args()[0]);
                boolean locked = me.args()[1].equals("lock");
                int blocks = Integer.parseInt(me.args()[2]);
                StartGate.open(me.ns(), "gate").arriveAndAwaitOpen();
                for (int b = 0; b < blocks; b++) {
                    if (locked) {
                        lock.acquire();
                        try {
                            appendBlock(me, file, "lock acquired directly");
                        } finally {
                            lock.release();
                        }
                    } else {
                        appendBlock(me, file, "no lock at all");
                    }
                }
                me.say("appended " + blocks + " blocks of " + BLOCK + " lines");
            }
        }
    }
}
