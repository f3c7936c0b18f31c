package dev.procsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.NamespaceOptions;
import dev.procsync.Procsync;
import dev.procsync.sync.Lock;
import dev.procsync.testing.TempRoot;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** File modes of segments, and a process of another user (nobody, via setpriv) trying to open them. */
class PermissionsTest {
    private final TempRoot root = new TempRoot();

    @AfterEach
    void cleanUp() {
        root.close();
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void shouldCreateFilesOwnerOnlyByDefault() throws Exception {
        try (Namespace ns = root.open("perm"); Lock lock = ns.lock("l")) {
            assertEquals("rw-------", mode(lock.segment().path()));
            assertEquals("rwx------", mode(ns.directory()));
        }
    }

    @Test
    void shouldHonourAnExplicitGroupMode() throws Exception {
        try (Namespace ns = Procsync.open("group", root.options().withFileMode(0660)); Lock lock = ns.lock("l")) {
            assertEquals("rw-rw----", mode(lock.segment().path()));
            assertEquals("rwxrwx---", mode(ns.directory()));
        }
    }

    @Test
    void shouldRejectModesWithoutOwnerReadWriteOrOutsideThePermissionBits() {
        for (int bad : new int[] {0, 0400, 0200, 01600, 04600, -1, 0x10000}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NamespaceOptions.defaults().withFileMode(bad));
            assertTrue(e.getMessage().contains("0" + Integer.toOctalString(bad)), e.getMessage());
        }
    }

    /** Child (run as nobody): opens the lock and prints OPENED or the exception. */
    public static final class Intruder {
        public static void main(String[] args) {
            try (Namespace ns = Procsync.open(args[1], NamespaceOptions.defaults().withRoot(Path.of(args[0])));
                    Lock lock = ns.lock(args[2])) {
                System.out.println("OPENED " + lock.tryAcquire());
            } catch (Throwable t) {
                System.out.println("REFUSED " + t.getClass().getSimpleName() + ": " + t.getMessage());
            }
        }
    }

    @Test
    void shouldRefuseAnotherUserOwnerOnlySegmentsButShareWhenTheModeSaysSo() throws Exception {
        assertEquals("root", System.getProperty("user.name"),
                "this test switches to user nobody with setpriv, which needs root (CI and dev machines run as root)");
        Path cp = Files.createTempDirectory(Path.of("/tmp"), "procsync-cp");
        try {
            String classPath = readableCopyOfClassPath(cp);
            try (Namespace ns = root.open("private"); Lock lock = ns.lock("l")) {
                openUp(ns.directory()); // only the file's own 0600 stands in the way
                String out = runAsNobody(classPath, "private", "l");
                assertTrue(out.contains("REFUSED") && out.contains("Permission denied")
                        && out.contains(lock.segment().path().toString()), out);
            }
            try (Namespace ns = Procsync.open("shared", root.options().withFileMode(0666)); Lock lock = ns.lock("l")) {
                openUp(ns.directory());
                String out = runAsNobody(classPath, "shared", "l");
                assertTrue(out.contains("OPENED true"), "a 0666 segment must be usable by another user: " + out);
                // nobody's child took the lock and exited holding it: recovered like any dead owner's.
                assertTrue(lock.tryAcquire(java.time.Duration.ofSeconds(10)) && lock.previousOwnerDied());
                lock.release();
            }
        } finally {
            try (Stream<Path> walk = Files.walk(cp)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Opens the namespace directory and the test's own root, never anything above the root. */
    private void openUp(Path namespaceDir) throws Exception {
        assertTrue(namespaceDir.startsWith(root.path()) && !namespaceDir.equals(root.path()), namespaceDir.toString());
        for (Path p = namespaceDir; p.startsWith(root.path()); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
    }

    private static String readableCopyOfClassPath(Path into) throws Exception {
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

    private String runAsNobody(String classPath, String namespace, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", java,
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", classPath, Intruder.class.getName(),
                root.path().toString(), namespace, name).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child as nobody hung: " + out);
        assertEquals(0, p.exitValue(), "child as nobody failed: " + out);
        return out;
    }
}
