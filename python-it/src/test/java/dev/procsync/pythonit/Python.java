package dev.procsync.pythonit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Real python3 processes running the python/ client: finds the interpreter (failing, with how to
 * install it, when there is none), prepares a copy of the package with the C extension built in
 * place, and starts {@code peer.py} commands whose output the tests read line by line.
 */
final class Python {
    /** How the Python side does its atomics. */
    enum Backend {
        /** The C extension. */
        EXTENSION,
        /** libatomic through ctypes ({@code PROCSYNC_NO_EXTENSION=1}). */
        CTYPES
    }

    static final Duration JOIN = Duration.ofSeconds(90);

    private static Path prepared;
    private static boolean extensionBuilt;

    private Python() {
    }

    /** The interpreter: {@code $PROCSYNC_PYTHON} or {@code python3} on the PATH. */
    static String interpreter() {
        String configured = System.getenv("PROCSYNC_PYTHON");
        String python = configured == null || configured.isEmpty() ? "python3" : configured;
        try {
            Process p = new ProcessBuilder(python, "-c", "import sys; assert sys.version_info >= (3, 9)")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail(python + " is older than 3.9 or broken: the cross-language tests (module python-it) need "
                        + "Python >= 3.9. On Debian/Ubuntu: apt-get install python3 python3-venv");
            }
        } catch (IOException e) {
            fail("python3 not found (" + e.getMessage() + "): the cross-language tests (module python-it) run real "
                    + "Python processes. Install it (Debian/Ubuntu: apt-get install python3 python3-venv) or point "
                    + "PROCSYNC_PYTHON at a Python >= 3.9.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return python;
    }

    /** A private copy of python/ with the extension built in place; built once per test JVM. */
    static synchronized Path packageDir() {
        if (prepared != null) {
            return prepared;
        }
        String python = interpreter();
        Path source = Path.of(System.getProperty("procsync.python.source", "../python")).toAbsolutePath().normalize();
        Path work = Path.of(System.getProperty("procsync.python.work", "target/python")).toAbsolutePath();
        Path pkg = work.resolve("pkg-" + ProcessHandle.current().pid());
        copyTree(source, pkg);
        Run build = run(List.of(python, "procsync_build.py"), pkg, Map.of(), Duration.ofSeconds(120));
        extensionBuilt = build.code == 0;
        prepared = pkg;
        return pkg;
    }

    /** Skips (with the reason) a test of the extension where it cannot be built (no C compiler). */
    static void assumeBackend(Backend backend) {
        packageDir();
        Assumptions.assumeTrue(backend == Backend.CTYPES || extensionBuilt,
                "the C extension did not build here (no C compiler?): only the ctypes fallback is tested");
    }

    /** The repository root (python/'s parent). */
    static Path repository() {
        return Path.of(System.getProperty("procsync.python.source", "../python")).toAbsolutePath().normalize()
                .getParent();
    }

    static Path peers() {
        return Path.of(System.getProperty("procsync.python.peers", "src/test/python")).toAbsolutePath();
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path rel = from.relativize(p);
                String s = rel.toString();
                if (s.contains("__pycache__") || s.endsWith(".so") || s.startsWith("build")) {
                    continue;
                }
                Path target = to.resolve(rel);
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment of a Python process on a backend. */
    static Map<String, String> env(Backend backend) {
        return backend == Backend.CTYPES ? Map.of("PROCSYNC_NO_EXTENSION", "1") : Map.of();
    }

    /** A finished command. */
    record Run(int code, String output) {
    }

    /** Runs a command to completion (bounded), capturing its output. */
    static Run run(List<String> command, Path dir, Map<String, String> env, Duration limit) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            StringBuilder out = new StringBuilder();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (out) {
                            out.append(line).append('\n');
                        }
                    }
                } catch (IOException ignored) {
                    // the process is gone
                }
            });
            reader.start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                reader.join(5_000);
                fail(command + " did not finish within " + limit + "; output:\n" + out);
            }
            reader.join(5_000);
            synchronized (out) {
                return new Run(p.exitValue(), out.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code peer.py <root> <namespace> <command> args...} on a backend. */
    static Peer peer(Backend backend, Path root, String namespace, String... args) {
        Path pkg = packageDir();
        List<String> cmd = new ArrayList<>(List.of(interpreter(), "-u", peers().resolve("peer.py").toString(),
                root.toString(), namespace));
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("PYTHONPATH", pkg.toString());
            pb.environment().putAll(env(backend));
            return new Peer(String.join(" ", args), pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One running Python peer: its output as lines, waited for with bounds. */
    static final class Peer implements AutoCloseable {
        private final String what;
        private final Process process;
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder all = new StringBuilder();

        Peer(String what, Process process) {
            this.what = what;
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (all) {
                            all.append(line).append('\n');
                        }
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process is gone
                }
            }, "python-peer-output");
            reader.setDaemon(true);
            reader.start();
        }

        long pid() {
            return process.pid();
        }

        /** The next output line that starts with {@code prefix}; fails after {@code limit}. */
        String awaitLine(String prefix, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == null) {
                    fail("python peer '" + what + "' printed no '" + prefix + "' within " + limit + "; output:\n"
                            + output());
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        String output() {
            synchronized (all) {
                return all.toString();
            }
        }

        /** Waits for a clean exit. */
        void joinSuccessfully() throws InterruptedException {
            if (!process.waitFor(JOIN.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                fail("python peer '" + what + "' did not finish within " + JOIN + "; output:\n" + output());
            }
            assertEquals(0, process.exitValue(), () -> "python peer '" + what + "' failed; output:\n" + output());
        }

        /** SIGKILL, and wait until it is gone. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
