package dev.procsync.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A child JVM running a main class with this JVM's {@code java}: the {@code multiprocessing.Process}
 * analogue with the {@code spawn} start method (JVMs cannot fork, so the child starts fresh and finds
 * its primitives by name).
 *
 * <h2>What the child gets</h2>
 * The class path ({@code java.class.path}), or, when the main class is in a named module, the
 * module path ({@code jdk.module.path}) and {@code -m module/class}; this JVM's
 * {@code --enable-native-access} options (JDK 22 and later: {@code ALL-UNNAMED} when there are
 * none, so JNA's native calls do not warn); {@code procsync.root} when it is set; the system
 * properties the builder names with {@link Builder#inheritSystemProperties(String...)}; and
 * whatever {@link Builder#jvmArgs(String...)} and {@link Builder#systemProperty(String, String)}
 * add. Its standard input is empty (at end of file), as a Python child's is {@code /dev/null}.
 *
 * <h2>Starting</h2>
 * {@link Builder#start()} returns once the child's main class has been loaded and its
 * {@code main} is about to run. If the child dies before that (a main class it cannot find, a bad
 * JVM option), {@code start()} throws {@link IllegalStateException} at once with the child's exit
 * code and what it wrote on stderr, instead of leaving the parent waiting for a child that never
 * came. {@link Builder#waitForStart(boolean) waitForStart(false)} returns at once instead.
 *
 * <h2>Output</h2>
 * By default the child's stdout and stderr are this process's, as a Python child's are: the child
 * writes to the parent's stdout, and its stderr lines are passed on to {@link System#err} (the
 * last ones are kept for error messages). {@link Builder#captureOutput()} captures both instead,
 * merged, drained continuously by one daemon thread per child (a full pipe never stalls the child),
 * readable with {@link #output()} and awaitable line by line with
 * {@link #awaitLine(Predicate, Duration)}.
 */
public final class ChildProcess implements AutoCloseable {
    private static final int TAIL_LINES = 200;

    private final Process process;
    private final String description;
    private final boolean capture;
    private final StringBuilder output = new StringBuilder();
    private final List<String> lines = new ArrayList<>();
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
    private final CompletableFuture<Boolean> started = new CompletableFuture<>();
    private final Thread drainer;

    private ChildProcess(Process process, String description, boolean capture, boolean marked) {
        this.process = process;
        this.description = description;
        this.capture = capture;
        if (!marked) {
            started.complete(true);
        }
        Thread t = new Thread(this::drain, "procsync-child-" + process.pid() + (capture ? "-output" : "-stderr"));
        t.setDaemon(true);
        t.start();
        this.drainer = t;
    }

    /**
     * Starts {@code mainClass} in a new JVM that shares this process's stdout and stderr; see
     * {@link Builder#start()}.
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
        return new Builder(mainClass);
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

    /**
     * Reads the child's captured output (or, when output is inherited, its stderr) line by line:
     * the start marker completes {@link #started}, every other line is kept (captured) or passed on
     * to this process's stderr with a bounded tail kept for error messages.
     */
    private void drain() {
        InputStream from = capture ? process.getInputStream() : process.getErrorStream();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!started.isDone() && line.equals(ChildMain.STARTED)) {
                    started.complete(true);
                    continue;
                }
                if (!capture) {
                    System.err.println(line);
                }
                synchronized (output) {
                    if (capture) {
                        output.append(line).append('\n');
                        lines.add(line);
                    } else {
                        if (stderrTail.size() == TAIL_LINES) {
                            stderrTail.removeFirst();
                        }
                        stderrTail.addLast(line);
                    }
                    output.notifyAll();
                }
            }
        } catch (IOException e) {
            // The child is gone; whatever it wrote is kept.
        } finally {
            started.complete(false); // no marker before the end of the stream: the child died starting
            synchronized (output) {
                output.notifyAll();
            }
        }
    }

    /**
     * Waits until the child runs its main class; on a death before that, throws with its stderr.
     */
    private void awaitStart(Duration timeout) {
        boolean up;
        try {
            up = started.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            close();
            throw new IllegalStateException(this + " did not start within " + timeout + " (killed); it wrote:\n"
                    + diagnostics());
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + this + " (killed)", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (!up) {
            String code;
            try {
                code = process.waitFor(10, TimeUnit.SECONDS) ? "exit code " + process.exitValue() : "still running";
                drainer.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                code = "interrupted";
            }
            close();
            throw new IllegalStateException(this + " died while starting (" + code + "); it wrote:\n" + diagnostics());
        }
    }

    /** What the child wrote that explains a failure: its captured output, or its stderr's last lines. */
    private String diagnostics() {
        synchronized (output) {
            return capture ? output.toString() : String.join("\n", stderrTail);
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
        if (exited) {
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
            throw new IllegalStateException(this + " still running after " + timeout + "; output:\n" + diagnostics());
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

    /**
     * Captured output so far (stdout and stderr merged); when output is inherited, the last lines
     * the child wrote on stderr (up to 200), for error messages.
     */
    public String output() {
        return diagnostics();
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
                if (!capture) {
                    throw new IllegalStateException("awaitLine needs captured output: " + this
                            + " shares this process's stdout (see Builder.captureOutput())");
                }
                boolean drained = !drainer.isAlive();
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
        private final List<String> inheritedProperties = new ArrayList<>();
        private boolean capture;
        private boolean waitForStart = true;
        private Duration startTimeout = Duration.ofSeconds(60);
        private @Nullable Path directory;
        private @Nullable String classPath;
        private @Nullable String module;

        private Builder(String mainClass) {
            this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
        }

        private Builder(Class<?> mainClass) {
            this(mainClass.getName());
            Module m = mainClass.getModule();
            if (m.isNamed() && System.getProperty("jdk.module.path") != null) {
                this.module = m.getName();
            }
        }

        /**
         * Passes on this JVM's values of the named system properties (those that are set), as
         * {@code -D} options: for example the properties a launcher such as {@code mvn exec:java}
         * or a test runner set and the child's code reads.
         *
         * @param keys the property names
         * @return this builder
         */
        public Builder inheritSystemProperties(String... keys) {
            for (String key : keys) {
                inheritedProperties.add(Objects.requireNonNull(key, "key"));
            }
            return this;
        }

        /**
         * Runs the main class from the named module on this JVM's module path
         * ({@code --module-path} and {@code -m module/class}); the default for a main class given as
         * a {@code Class} in a named module.
         *
         * @param name the module's name
         * @return this builder
         */
        public Builder module(String name) {
            this.module = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Whether {@link #start()} waits until the child runs its main class (default {@code true}),
         * so that a child that dies starting fails {@code start()} with its stderr.
         *
         * @param wait whether to wait
         * @return this builder
         */
        public Builder waitForStart(boolean wait) {
            this.waitForStart = wait;
            return this;
        }

        /**
         * The longest {@link #start()} waits for the child to run its main class (default 60 s);
         * after it the child is killed and {@code start()} throws.
         *
         * @param timeout the bound, positive
         * @return this builder
         */
        public Builder startTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("start timeout must be positive: " + timeout);
            }
            this.startTimeout = timeout;
            return this;
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
         * Replaces the class path (default: this JVM's {@code java.class.path}); procsync-core's
         * own location is added if missing, since the child starts through its {@link ChildMain}.
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
         * Lets the child write straight to this process's stdout and stderr: the default.
         *
         * @return this builder
         */
        public Builder inheritOutput() {
            this.capture = false;
            return this;
        }

        /**
         * Captures the child's stdout and stderr (merged) for {@link ChildProcess#output()} and
         * {@link ChildProcess#awaitLine(Predicate, Duration)}, instead of showing them.
         *
         * @return this builder
         */
        public Builder captureOutput() {
            this.capture = true;
            return this;
        }

        /**
         * The command line this builder would run. Unless a JVM option of the builder already says
         * which modules may use native access, it starts with this JVM's
         * {@code --enable-native-access} options, or on JDK 22 and later with
         * {@code --enable-native-access=ALL-UNNAMED} when this JVM has none, so that JNA's native
         * calls do not make the child warn.
         *
         * @return the command
         */
        public List<String> command() {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (jvmArgs.stream().noneMatch(a -> a.startsWith("--enable-native-access"))) {
                // JNA binds the futex calls through restricted methods: without this, JDK 22+ warns on stderr.
                cmd.addAll(nativeAccess());
            }
            cmd.addAll(jvmArgs);
            String root = System.getProperty("procsync.root");
            if (root != null && !properties.containsKey("procsync.root")) {
                cmd.add("-Dprocsync.root=" + root);
            }
            for (String key : inheritedProperties) {
                String value = System.getProperty(key);
                if (value != null && !properties.containsKey(key)) {
                    cmd.add("-D" + key + "=" + value);
                }
            }
            properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            String modulePath = System.getProperty("jdk.module.path");
            if (module != null) {
                if (modulePath != null) {
                    cmd.add("--module-path");
                    cmd.add(modulePath);
                }
                String cp = classPath != null ? classPath : System.getProperty("java.class.path");
                if (cp != null && !cp.isEmpty()) {
                    cmd.add("-cp");
                    cmd.add(cp);
                }
                cmd.add("-m");
                cmd.add(module + "/" + mainClass);
            } else {
                if (modulePath != null) {
                    cmd.add("--module-path");
                    cmd.add(modulePath);
                    cmd.add("--add-modules");
                    cmd.add("ALL-MODULE-PATH");
                }
                cmd.add("-cp");
                cmd.add(withLauncher(classPath != null ? classPath : System.getProperty("java.class.path", "")));
                cmd.add(ChildMain.class.getName());
                cmd.add(mainClass);
            }
            cmd.addAll(args);
            return cmd;
        }

        /** This JVM's --enable-native-access options; on JDK 22+ ALL-UNNAMED when it has none. */
        private static List<String> nativeAccess() {
            List<String> found = new ArrayList<>();
            List<String> input;
            try {
                input = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
            } catch (LinkageError | UnsupportedOperationException | SecurityException e) {
                input = List.of();
            }
            for (String arg : input) {
                if (arg.startsWith("--enable-native-access")) {
                    found.add(arg);
                }
            }
            if (found.isEmpty() && Runtime.version().feature() >= 22) {
                found.add("--enable-native-access=ALL-UNNAMED");
            }
            return found;
        }

        /** The class path with procsync-core's location appended if ChildMain is not on it. */
        private static String withLauncher(String classPath) {
            java.security.CodeSource source = ChildMain.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return classPath;
            }
            String own;
            try {
                own = Path.of(source.getLocation().toURI()).toString();
            } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                return classPath;
            }
            for (String entry : classPath.split(java.io.File.pathSeparator)) {
                if (!entry.isEmpty() && Path.of(entry).toAbsolutePath().normalize().equals(
                        Path.of(own).toAbsolutePath().normalize())) {
                    return classPath;
                }
            }
            return classPath.isEmpty() ? own : classPath + java.io.File.pathSeparator + own;
        }

        /**
         * Starts the child and, unless {@link #waitForStart(boolean) waitForStart(false)}, waits
         * until it runs its main class.
         *
         * @return the running child
         * @throws UncheckedIOException  if the JVM cannot be started
         * @throws IllegalStateException if the child dies before its main class runs (the message has
         *                               its exit code and stderr), or does not get there within the
         *                               start timeout (it is killed)
         */
        public ChildProcess start() {
            ProcessBuilder pb = new ProcessBuilder(command());
            pb.environment().putAll(environment);
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            pb.redirectInput(ProcessBuilder.Redirect.PIPE);
            if (capture) {
                pb.redirectErrorStream(true);
            } else {
                pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
                pb.redirectError(ProcessBuilder.Redirect.PIPE);
            }
            Process p;
            try {
                p = pb.start();
                p.getOutputStream().close(); // stdin at end of file, like a Python child's /dev/null
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start child JVM for " + mainClass, e);
            }
            String shortName = mainClass.substring(mainClass.lastIndexOf('.') + 1);
            ChildProcess child = new ChildProcess(p, shortName + (args.isEmpty() ? "" : " " + String.join(" ", args)),
                    capture, module == null);
            if (waitForStart) {
                child.awaitStart(startTimeout);
            }
            return child;
        }
    }
}
