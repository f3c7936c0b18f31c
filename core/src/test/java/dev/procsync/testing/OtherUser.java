package dev.procsync.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs commands as another user, nobody (uid and gid 65534, no other groups), through
 * {@code setpriv}: the attacker, or the second user, of the trust tests. Needs root (CI and the
 * development machines run the tests as root); {@link #assumeAvailable()} skips, saying why, elsewhere.
 */
public final class OtherUser implements AutoCloseable {
    /** nobody's uid, and nogroup's gid. */
    public static final int NOBODY = 65534;

    private final Path classPathCopy;
    private String classPath;

    /** A helper whose {@link #java} copies the class path once to a world-readable temporary directory. */
    public OtherUser() {
        try {
            classPathCopy = Files.createTempDirectory(Path.of("/tmp"), "procsync-cp");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Skips the calling test, saying why, where another user cannot be played. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(
                Path.of("/usr/bin/setpriv")), "switching to user nobody needs root and setpriv (CI and dev machines"
                + " run as root)");
    }

    /** Output and exit status of a command run as nobody. */
    public record Result(int code, String out) {
    }

    /**
     * Runs a command as nobody, bounded.
     *
     * @param command the command and its arguments
     * @return its exit status and output (stderr merged)
     */
    public static Result run(List<String> command) {
        List<String> all = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups"));
        all.addAll(command);
        try {
            Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "command as nobody hung: " + all + "\n" + out);
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a shell script as nobody. */
    public static Result shell(String script) {
        return run(List.of("sh", "-c", script));
    }

    /**
     * Runs a Java main class of the test class path as nobody, on this JVM's JDK.
     *
     * @param main the class
     * @param args its arguments
     * @return its exit status and output
     */
    public Result java(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", classPath(), main.getName()));
        command.addAll(List.of(args));
        return run(command);
    }

    private String classPath() {
        if (classPath == null) {
            try {
                classPath = readableCopyOfClassPath(classPathCopy);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return classPath;
    }

    private static String readableCopyOfClassPath(Path into) throws IOException {
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path target = into.resolve(i++ + "-" + source.getFileName());
            if (Files.isDirectory(source)) {
                try (Stream<Path> walk = Files.walk(source)) {
                    for (Path s : (Iterable<Path>) walk::iterator) {
                        Path t = target.resolve(source.relativize(s).toString());
                        if (Files.isDirectory(s)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(s, t, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else {
                Files.copy(source, target);
            }
            entries.add(target.toString());
        }
        try (Stream<Path> walk = Files.walk(into)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p)
                        ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Removes the class path copy. */
    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(classPathCopy)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
