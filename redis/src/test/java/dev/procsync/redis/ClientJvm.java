package dev.procsync.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Redis client in a JVM of its own: a test class's {@code main} run on this test's class path,
 * whose output lines the test reads (bounded), and which it can SIGKILL.
 */
final class ClientJvm implements AutoCloseable {
    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ClientJvm(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null;) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process is gone: EOF below
            }
            lines.add(EOF);
        }, "client-jvm-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code main} of {@code mainClass} with {@code args}. */
    static ClientJvm start(Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        try {
            return new ClientJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next output line that starts with {@code prefix} (others are skipped), waiting at most {@code wait}. */
    String awaitLine(String prefix, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no line '" + prefix + "...' from the client JVM within " + wait);
            }
            if (line.equals(EOF)) {
                throw new AssertionError("the client JVM exited before printing '" + prefix + "...'");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** SIGKILL: no release, no renewal; returns once the process is gone. */
    void kill(Duration wait) throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the client JVM did not die within " + wait);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
