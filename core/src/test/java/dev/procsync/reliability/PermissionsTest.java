package dev.procsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.NamespaceOptions;
import dev.procsync.Procsync;
import dev.procsync.sync.Lock;
import dev.procsync.testing.OtherUser;
import dev.procsync.testing.TempRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * File modes and groups of segments, and a process of another user (nobody, via setpriv) that is
 * kept out of a private namespace and let into one shared through a group. Attacks by another
 * user are in {@link TrustAttackTest}. Modes change only inside the test's own temporary root.
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
        assertThrows(IllegalArgumentException.class, () -> NamespaceOptions.defaults().withGroup(-1));
    }

    @Test
    void shouldDefaultToARootOfTheCurrentUser() throws Exception {
        // /proc/self belongs to the process's effective user.
        assertEquals(Path.of("/dev/shm/procsync-" + Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
                NamespaceOptions.defaultRoot());
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
        OtherUser.assumeAvailable();
        try (OtherUser nobody = new OtherUser(); Namespace ns = root.open("private"); Lock lock = ns.lock("l")) {
            OtherUser.Result r = nobody.java(Intruder.class, root.path().toString(), "private", "l");
            // The 0700 root already stops nobody; were it readable, it is not nobody's (TrustAttackTest).
            assertEquals(0, r.code(), r.out());
            assertTrue(r.out().contains("REFUSED") && r.out().contains(root.path().toString())
                    && r.out().contains("Permission denied"), r.out());
            assertTrue(lock.tryAcquire(), "nobody must not have touched the lock");
            lock.release();
        }
    }

    @Test
    void shouldShareWithAnotherUserThroughANamedGroup() throws Exception {
        OtherUser.assumeAvailable();
        // The test's own root joins nobody's group with group rwx: the sharing layout of the README.
        Files.setAttribute(root.path(), "unix:gid", OtherUser.NOBODY);
        Files.setPosixFilePermissions(root.path(), PosixFilePermissions.fromString("rwxrwx---"));
        NamespaceOptions shared = root.options().withGroup(OtherUser.NOBODY).withFileMode(0660);
        try (OtherUser nobody = new OtherUser(); Namespace ns = Procsync.open("shared", shared);
                Lock lock = ns.lock("l")) {
            assertEquals(OtherUser.NOBODY, Files.getAttribute(lock.segment().path(), "unix:gid"));
            assertEquals(OtherUser.NOBODY, Files.getAttribute(ns.directory(), "unix:gid"));
            assertEquals("rw-rw----", mode(lock.segment().path()));
            OtherUser.Result r = nobody.java(Intruder.class, root.path().toString(), "shared", "l",
                    Integer.toString(OtherUser.NOBODY));
            assertTrue(r.code() == 0 && r.out().contains("OPENED true"),
                    "a member of the shared group must be able to use it: " + r.out());
            // nobody's child took the lock and exited holding it: recovered like any dead owner's.
            assertTrue(lock.tryAcquire(Duration.ofSeconds(10)) && lock.previousOwnerDied());
            lock.release();
        }
    }
}
