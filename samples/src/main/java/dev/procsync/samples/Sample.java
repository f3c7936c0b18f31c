package dev.procsync.samples;

import dev.procsync.Namespace;
import dev.procsync.NamespaceOptions;
import dev.procsync.Procsync;
import dev.procsync.process.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The stage every sample runs on: the parent process opens a fresh namespace and a scratch
 * directory, starts child JVMs in named roles, and cleans both up on close. A child finds the same
 * namespace and directory from its arguments ({@link #child(String[])}), the way a Python child
 * receives its Lock as an argument of {@code Process(target=..., args=(lock,))}.
 *
 * <p>Everything printed goes through {@link #say(String)} so that a person can follow which
 * process did what: {@code [pid 4242 writer-1] appended 10 lines}.
 *
 * <p>Children either share this terminal (a person running the sample) or have their output
 * captured (a test; see {@link #captured(String, Path)}).
 */
public final class Sample implements AutoCloseable {
    /** Longest a sample waits for any child; samples finish in seconds. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final String[] CHILD_JVM = {"-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Xshare:auto"};

    private final Path root;
    private final Namespace ns;
    private final Path dir;
    private final String role;
    private final boolean parent;
    private final boolean capture;
    private final List<ChildProcess> children = new ArrayList<>();
    private final String[] rest;
    private boolean closed;

    private Sample(Path root, String namespace, Path dir, String role, boolean parent, boolean capture,
            String[] rest) {
        this.root = root;
        this.ns = Procsync.open(namespace, NamespaceOptions.defaults().withRoot(root));
        this.dir = dir;
        this.role = role;
        this.parent = parent;
        this.capture = capture;
        this.rest = rest;
    }

    /**
     * In the parent: a fresh namespace under the default root whose children share this terminal.
     *
     * @param title short name of the sample, part of the namespace's name
     * @return the stage
     */
    public static Sample start(String title) {
        Sample sample = open(title, NamespaceOptions.defaults().root(), false);
        // Ctrl-C: stop the children and remove the namespace all the same.
        Runtime.getRuntime().addShutdownHook(new Thread(sample::close, "sample-cleanup"));
        return sample;
    }

    /**
     * In the parent, for tests: a fresh namespace under {@code root} whose children's output is
     * captured (see {@link #children()}).
     *
     * @param title short name of the sample
     * @param root  the namespace root
     * @return the stage
     */
    public static Sample captured(String title, Path root) {
        return open(title, root, true);
    }

    private static Sample open(String title, Path root, boolean capture) {
        String namespace = title + "-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            Path dir = Files.createTempDirectory("procsync-" + title + "-");
            return new Sample(root, namespace, dir, "main", true, capture, new String[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * In a child: the stage its parent passed in {@code args} (root, namespace, directory, role,
     * then the role's own arguments, see {@link #args()}).
     *
     * @param args the child's main arguments
     * @return the stage
     */
    public static Sample child(String[] args) {
        return new Sample(Path.of(args[0]), args[1], Path.of(args[2]), args[3], false, false,
                Arrays.copyOfRange(args, 4, args.length));
    }

    /**
     * Starts {@code main} in a new JVM in the given role.
     *
     * @param main the child's main class
     * @param role its role, shown in its output ("writer-1")
     * @param args its own arguments
     * @return the running child
     */
    public ChildProcess spawn(Class<?> main, String role, String... args) {
        List<String> all = new ArrayList<>(List.of(root.toString(), ns.name(), dir.toString(), role));
        all.addAll(List.of(args));
        ChildProcess.Builder b = ChildProcess.builder(main).jvmArgs(CHILD_JVM).args(all.toArray(String[]::new));
        if (capture) {
            b.captureOutput();
        }
        ChildProcess child = b.start();
        children.add(child);
        return child;
    }

    /**
     * Waits for every child started so far and checks that each exited with 0.
     *
     * @throws InterruptedException  if interrupted
     * @throws IllegalStateException if one failed or is still running after {@link #PATIENCE}
     */
    public void joinAll() throws InterruptedException {
        for (ChildProcess child : children) {
            join(child);
        }
    }

    /**
     * Waits for one child and checks that it exited with 0.
     *
     * @param child a child of this stage
     * @throws InterruptedException  if interrupted
     * @throws IllegalStateException if it failed or is still running after {@link #PATIENCE}
     */
    public void join(ChildProcess child) throws InterruptedException {
        int code = child.joinExitCode(PATIENCE);
        if (code != 0) {
            throw new IllegalStateException(child + " exited with " + code + "; output:\n" + child.output());
        }
    }

    /** The children started so far. */
    public List<ChildProcess> children() {
        return children;
    }

    /** The namespace shared by parent and children. */
    public Namespace ns() {
        return ns;
    }

    /** A scratch directory shared by parent and children, for the files samples write. */
    public Path dir() {
        return dir;
    }

    /** This process's role: "main" in the parent. */
    public String role() {
        return role;
    }

    /** In a child: the arguments after the stage's own. */
    public String[] args() {
        return rest;
    }

    /**
     * Prints one line prefixed with this process's pid and role.
     *
     * @param message what happened
     */
    public void say(String message) {
        System.out.println("[pid " + ProcessHandle.current().pid() + " " + role + "] " + message);
        System.out.flush();
    }

    /**
     * In the parent: kills children still running, removes the namespace and the scratch directory.
     * In a child: closes its handles.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        children.forEach(ChildProcess::close);
        if (!parent) {
            ns.close();
            return;
        }
        ns.destroy();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
