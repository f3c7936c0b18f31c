package dev.procsync.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A child JVM running a main class with this JVM's {@code java} and class path: the
 * {@code multiprocessing.Process} analogue (JVMs cannot fork, so the child starts fresh and finds
 * its primitives by name).
 *
 * <p>Output is either inherited (the child writes to this process's stdout/stderr) or captured:
 * stdout and stderr merged, drained continuously by one daemon thread per child (a full pipe never
 * stalls the child), readable with {@link #output()} and awaitable line by line with
 * {@link #awaitLine(Predicate, Duration)}.
 *
 * <p>The {@code procsync.root} system property, when set, is passed on so that parent and child
 * resolve namespaces under the same root.
 */
public final class ChildProcess implements AutoCloseable {
    private final Process process;
    private final String description;
    private final StringBuilder output = new StringBuilder();
    private final List<String> lines = new ArrayList<>();
    private final @Nullable Thread drainer;

    private ChildProcess(Process process, String description, boolean capture) {
        this.process = process;
        this.description = description;
        if (capture) {
            Thread t = new Thread(this::drain, "procsync-child-" + process.pid() + "-output");
            t.setDaemon(true);
            t.start();
            this.drainer = t;
        } else {
            this.drainer = null;
        }
    }

    /**
     * Starts {@code mainClass} in a new JVM with captured output.
     *
     * @param mainClass a class with {@code public static void main(String[])} on this class path
     * @param args      its arguments
     * @return the running child
     */
    public static ChildProcess start(Class<?> mainClass, String... args) {
        return builder(mainClass).args(args).start();
    }

    /**
     * A builder for a child running {@code mainClass}.
     *
     * @param mainClass a class with {@code public static void main(String[])} on this class path
     * @return the builder
     */
    public static Builder builder(Class<?> mainClass) {
        return new Builder(mainClass.getName());
    }

    /**
     * A builder for a child running the named main class.
     *
     * @param mainClass a fully qualified class name on this class path
     * @return the builder
     */
    public static Builder builder(String mainClass) {
        return new Builder(mainClass);
    }

    private void drain() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (output) {
                    output.append(line).append('\n');
                    lines.add(line);
                    output.notifyAll();
                }
            }
        } catch (IOException e) {
            // The child is gone; whatever it wrote is kept.
        } finally {
            synchronized (output) {
                output.notifyAll();
            }
        }
    }

    /** The child's pid. */
    public long pid() {
        return process.pid();
    }

    /**
     * The child's identity (pid and start time), or {@code null} if it has already exited.
     *
     * @return the identity or {@code null}
     */
    public @Nullable ProcessId id() {
        return ProcessId.of((int) process.pid());
    }

    /** Whether the child still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits for the child to exit.
     *
     * @param timeout longest wait
     * @return whether it exited
     * @throws InterruptedException if interrupted
     */
    public boolean join(Duration timeout) throws InterruptedException {
        boolean exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (exited && drainer != null) {
            drainer.join(TimeUnit.NANOSECONDS.toMillis(Math.max(timeout.toNanos(), 1_000_000_000L)));
        }
        return exited;
    }

    /**
     * Waits for the child to exit and returns its exit code; fails if it does not exit in time.
     *
     * @param timeout longest wait
     * @return the exit code
     * @throws InterruptedException  if interrupted
     * @throws IllegalStateException if the child is still running after {@code timeout}; the
     *                               message includes its output so far
     */
    public int joinExitCode(Duration timeout) throws InterruptedException {
        if (!join(timeout)) {
            throw new IllegalStateException(this + " still running after " + timeout + "; output:\n" + output());
        }
        return process.exitValue();
    }

    /** The exit code, or empty while it runs. A child killed by signal N exits with 128+N. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Asks the child to stop (SIGTERM); shutdown hooks run. */
    public void terminate() {
        process.destroy();
    }

    /** Kills the child at once (SIGKILL): no hook, no finally block, nothing released. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Completes when the child exits. */
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Captured output so far (stdout and stderr merged); empty when output is inherited. */
    public String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /**
     * Waits until the child prints a line matching {@code predicate}.
     *
     * @param predicate what to wait for
     * @param timeout   longest wait
     * @return the first matching line
     * @throws InterruptedException  if interrupted
     * @throws IllegalStateException if the child exits or the timeout passes first (with its output)
     */
    public String awaitLine(Predicate<String> predicate, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        synchronized (output) {
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (predicate.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                boolean drained = drainer == null || !drainer.isAlive();
                if (left <= 0 || drained) {
                    throw new IllegalStateException(this + (drained ? " exited" : " timed out after " + timeout)
                            + " before printing the awaited line; output:\n" + output);
                }
                output.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** Kills the child if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "ChildProcess[" + description + ", pid " + process.pid() + "]";
    }

    /** Configures and starts a child JVM. */
    public static final class Builder {
        private final String mainClass;
        private final List<String> args = new ArrayList<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private boolean inheritOutput;
        private @Nullable Path directory;
        private String classPath = System.getProperty("java.class.path");

        private Builder(String mainClass) {
            this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
        }

        /**
         * Appends program arguments.
         *
         * @param more the arguments
         * @return this builder
         */
        public Builder args(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        /**
         * Appends JVM options, such as {@code -Xmx64m}.
         *
         * @param more the options
         * @return this builder
         */
        public Builder jvmArgs(String... more) {
            jvmArgs.addAll(List.of(more));
            return this;
        }

        /**
         * Sets a system property in the child.
         *
         * @param key   the property
         * @param value its value
         * @return this builder
         */
        public Builder systemProperty(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /**
         * Sets an environment variable in the child.
         *
         * @param key   the variable
         * @param value its value
         * @return this builder
         */
        public Builder environment(String key, String value) {
            environment.put(key, value);
            return this;
        }

        /**
         * Replaces the class path (default: this JVM's {@code java.class.path}).
         *
         * @param path the class path
         * @return this builder
         */
        public Builder classPath(String path) {
            this.classPath = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * Sets the working directory.
         *
         * @param dir the directory
         * @return this builder
         */
        public Builder directory(Path dir) {
            this.directory = dir;
            return this;
        }

        /**
         * Lets the child write straight to this process's stdout and stderr instead of capturing.
         *
         * @return this builder
         */
        public Builder inheritOutput() {
            this.inheritOutput = true;
            return this;
        }

        /**
         * The command line this builder would run. On JDK 22 and later it starts with
         * {@code --enable-native-access=ALL-UNNAMED} (unless a JVM option already says which
         * modules may), so that JNA's native calls do not make the child warn.
         *
         * @return the command
         */
        public List<String> command() {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (Runtime.version().feature() >= 22
                    && jvmArgs.stream().noneMatch(a -> a.startsWith("--enable-native-access"))) {
                // JNA binds the futex calls through restricted methods: without this, JDK 22+ warns on stderr.
                cmd.add("--enable-native-access=ALL-UNNAMED");
            }
            cmd.addAll(jvmArgs);
            String root = System.getProperty("procsync.root");
            if (root != null && !properties.containsKey("procsync.root")) {
                cmd.add("-Dprocsync.root=" + root);
            }
            properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-cp");
            cmd.add(classPath);
            cmd.add(mainClass);
            cmd.addAll(args);
            return cmd;
        }

        /**
         * Starts the child.
         *
         * @return the running child
         * @throws UncheckedIOException if the JVM cannot be started
         */
        public ChildProcess start() {
            ProcessBuilder pb = new ProcessBuilder(command());
            pb.environment().putAll(environment);
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            if (inheritOutput) {
                pb.inheritIO();
            } else {
                pb.redirectErrorStream(true);
                pb.redirectInput(ProcessBuilder.Redirect.PIPE);
            }
            try {
                Process p = pb.start();
                if (!inheritOutput) {
                    p.getOutputStream().close();
                }
                String shortName = mainClass.substring(mainClass.lastIndexOf('.') + 1);
                return new ChildProcess(p, shortName + (args.isEmpty() ? "" : " " + String.join(" ", args)),
                        !inheritOutput);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start child JVM for " + mainClass, e);
            }
        }
    }
}
