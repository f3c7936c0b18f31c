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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * File modes and groups of segments, and a process of another user (nobody, via setpriv) that is
 * kept out of a private namespace and let into one shared through a group. Attacks by another
 * user are in {@link TrustAttackTest}.
 */
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

    /** Child (run as nobody): opens the lock (sharing group {@code args[3]} if given) and prints OPENED or why not. */
    public static final class Intruder {
        public static void main(String[] args) {
            NamespaceOptions options = NamespaceOptions.defaults().withRoot(Path.of(args[0]));
            if (args.length > 3) {
                options = options.withGroup(Integer.parseInt(args[3])).withFileMode(0660);
            }
            try (Namespace ns = Procsync.open(args[1], options); Lock lock = ns.lock(args[2])) {
                System.out.println("OPENED " + lock.tryAcquire());
            } catch (Throwable t) {
                System.out.println("REFUSED " + t.getClass().getSimpleName() + ": " + t.getMessage());
            }
        }
    }

    @Test
    void shouldKeepAnotherUserOutOfAPrivateNamespace() throws Exception {
        assumeRoot();
        Path cp = Files.createTempDirectory(Path.of("/tmp"), "procsync-cp");
        try (Namespace ns = root.open("private"); Lock lock = ns.lock("l")) {
            String out = runAsNobody(readableCopyOfClassPath(cp), "private", "l");
            // The 0700 root already stops nobody; were it readable, it is not nobody's (TrustAttackTest).
            assertTrue(out.startsWith("REFUSED") && out.contains(root.path().toString())
                    && out.contains("Permission denied"), out);
            assertTrue(lock.tryAcquire(), "nobody must not have touched the lock");
            lock.release();
        } finally {
            deleteTree(cp);
        }
    }

    @Test
    void shouldShareWithAnotherUserThroughANamedGroup() throws Exception {
        assumeRoot();
        Path cp = Files.createTempDirectory(Path.of("/tmp"), "procsync-cp");
        // The test's own root joins group 65534 (nobody's) with group rwx: the sharing layout of the README.
        Files.setAttribute(root.path(), "unix:gid", NOGROUP);
        Files.setPosixFilePermissions(root.path(), PosixFilePermissions.fromString("rwxrwx---"));
        NamespaceOptions shared = root.options().withGroup(NOGROUP).withFileMode(0660);
        try (Namespace ns = Procsync.open("shared", shared); Lock lock = ns.lock("l")) {
            assertEquals(NOGROUP, Files.getAttribute(lock.segment().path(), "unix:gid"));
            assertEquals(NOGROUP, Files.getAttribute(ns.directory(), "unix:gid"));
            assertEquals("rw-rw----", mode(lock.segment().path()));
            String out = runAsNobody(readableCopyOfClassPath(cp), "shared", "l", Integer.toString(NOGROUP));
            assertTrue(out.contains("OPENED true"), "a member of the shared group must be able to use it: " + out);
            // nobody's child took the lock and exited holding it: recovered like any dead owner's.
            assertTrue(lock.tryAcquire(java.time.Duration.ofSeconds(10)) && lock.previousOwnerDied());
            lock.release();
        } finally {
            deleteTree(cp);
        }
    }

    private static final int NOGROUP = 65534;

    /** Skips, saying why, where another user cannot be played: that needs root and setpriv. */
    static void assumeRoot() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(
                Path.of("/usr/bin/setpriv")), "switching to user nobody needs root and setpriv (CI and dev machines"
                + " run as root)");
    }

    static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The class path copied to a world-readable directory, for a child run as another user. */
    static String readableCopyOfClassPath(Path into) throws Exception {
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

    private String runAsNobody(String classPath, String namespace, String... more) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", classPath, Intruder.class.getName(),
                root.path().toString(), namespace));
        command.addAll(List.of(more));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child as nobody hung: " + out);
        assertEquals(0, p.exitValue(), "child as nobody failed: " + out);
        return out;
    }
}
