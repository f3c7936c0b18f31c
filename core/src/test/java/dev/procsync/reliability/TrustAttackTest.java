package dev.procsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.layout.HeaderLayout;
import dev.procsync.InvalidSegmentException;
import dev.procsync.Namespace;
import dev.procsync.NamespaceOptions;
import dev.procsync.Procsync;
import dev.procsync.UntrustedFileException;
import dev.procsync.process.ChildProcess;
import dev.procsync.sync.Lock;
import dev.procsync.testing.Children;
import dev.procsync.testing.OtherUser;
import dev.procsync.testing.TempRoot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Another user (nobody, through {@code setpriv --reuid=65534 --regid=65534 --clear-groups}) attacks
 * a victim that runs as root, the setting of issue 11. Every attack must end in a refusal or an
 * exception; no file outside the victim's namespace may change (a root-only "outside" directory
 * with a secret is compared before and after); no victim JVM may crash (child exit codes, and no
 * {@code hs_err} file). The attacker works with shell commands; victims that map a file the
 * attacker can truncate run as child JVMs, with the JIT and with {@code -Xint}. Run the class on
 * JDK 17 and JDK 25 (children use the JDK of the build).
 *
 * <p>Layout under the test's own root {@code T} (0711, so nobody can reach the subdirectories):
 * <pre>
 * T/outside  0700 root        a secret the victim must never follow a link to, nor delete
 * T/arena    1777 root        a place anyone may create in, as /dev/shm is
 * T/team     0770 root:65534  a root shared with group 65534: nobody is a (malicious) member
 * T/stage    0755 root        files the test prepares for the attacker to copy
 * </pre>
 */
class TrustAttackTest {
    private static final int NOGROUP = OtherUser.NOBODY;

    private final TempRoot root = new TempRoot();
    private NamespaceOptions scratchOptions;
    private Path outside;
    private Path arena;
    private Path team;
    private Path stage;
    private Map<String, String> outsideBefore;

    @BeforeEach
    void setUp() throws Exception {
        OtherUser.assumeAvailable();
        Path t = root.path();
        Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwx--x--x"));
        outside = Files.createDirectory(t.resolve("outside"));
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwx------"));
        Path secret = Files.writeString(outside.resolve("secret"), "precious");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        arena = Files.createDirectory(t.resolve("arena"));
        Files.setAttribute(arena, "unix:mode", 01777);
        team = Files.createDirectory(t.resolve("team"));
        Files.setAttribute(team, "unix:gid", NOGROUP);
        Files.setPosixFilePermissions(team, PosixFilePermissions.fromString("rwxrwx---"));
        stage = Files.createDirectory(t.resolve("stage"));
        Files.setPosixFilePermissions(stage, PosixFilePermissions.fromString("rwxr-xr-x"));
        scratchOptions = NamespaceOptions.defaults().withRoot(t.resolve("scratch")); // 0700, the test's own
        outsideBefore = snapshot(outside);
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (outside != null) {
                assertEquals(outsideBefore, snapshot(outside), "a file outside the namespace was touched");
                try (Stream<Path> files = Files.list(root.path())) {
                    assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith("hs_err"))
                            .map(Path::toString).toList(), "a victim JVM crashed");
                }
            }
        } finally {
            root.close();
        }
    }

    private NamespaceOptions teamOptions() {
        return NamespaceOptions.defaults().withRoot(team).withGroup(NOGROUP).withFileMode(0660);
    }

    // ---- another user owns the root, or it is a link, or it is open to anyone ----

    @Test
    void shouldRefuseARootSquattedByAnotherUserWithAStagedHolder() throws Exception {
        Path fake = stage(validHeldLock(), "fake-lock");
        Path squat = arena.resolve("procsync-0");
        attack("mkdir -m 0777 " + squat + " && mkdir -m 0777 " + squat + "/app && cp " + fake + " " + squat
                + "/app/l && chmod 0666 " + squat + "/app/l");
        Map<String, String> planted = snapshot(squat);
        UntrustedFileException e = assertThrows(UntrustedFileException.class,
                () -> Procsync.open("app", NamespaceOptions.defaults().withRoot(squat)));
        assertTrue(e.getMessage().startsWith(squat + ": refused: owned by uid 65534, not by this user (uid 0)"),
                e.getMessage());
        assertEquals(planted, snapshot(squat), "the victim must not touch what it refused");
    }

    @Test
    void shouldRefuseARootThatIsALinkToAnotherDirectory() throws Exception {
        Path link = arena.resolve("procsync-0");
        attack("ln -s " + outside + " " + link);
        UntrustedFileException e = assertThrows(UntrustedFileException.class,
                () -> Procsync.open("app", NamespaceOptions.defaults().withRoot(link)));
        assertTrue(e.getMessage().contains(link + ": refused: it is a symbolic link"), e.getMessage());
    }

    @Test
    void shouldRefuseItsOwnRootOnceItIsWritableByAnyone() throws Exception {
        Path wide = Files.createDirectory(arena.resolve("wide"));
        Files.setPosixFilePermissions(wide, PosixFilePermissions.fromString("rwx------"));
        try (Namespace ns = Procsync.open("app", NamespaceOptions.defaults().withRoot(wide))) {
            ns.lock("l").close();
        }
        Files.setPosixFilePermissions(wide, PosixFilePermissions.fromString("rwxrwxrwx")); // a umask-000 accident
        attack("mkdir -m 0777 " + wide + "/evil && ln -s " + outside + "/secret " + wide + "/evil/l");
        UntrustedFileException e = assertThrows(UntrustedFileException.class,
                () -> Procsync.open("app", NamespaceOptions.defaults().withRoot(wide)));
        assertTrue(e.getMessage().contains(wide + ": refused: directory mode 0777 is wider than the 0700"),
                e.getMessage());
    }

    // ---- a member of the shared group turns against the others: it may use, not redirect or crash ----

    @Test
    void shouldRefuseANamespaceNamePlantedAsALink() throws Exception {
        attack("ln -s " + outside + " " + team + "/evil");
        UntrustedFileException e = assertThrows(UntrustedFileException.class, () -> Procsync.open("evil",
                teamOptions()));
        assertTrue(e.getMessage().contains(team.resolve("evil") + ": refused: it is a symbolic link"),
                e.getMessage());
    }

    @Test
    void shouldRefuseASegmentNamePlantedAsALinkAndDestroyOnlyTheLink() throws Exception {
        try (Namespace ns = Procsync.open("app", teamOptions())) {
            ns.lock("mine").close();
            attack("ln -s " + outside + "/secret " + team + "/app/l");
            UntrustedFileException e = assertThrows(UntrustedFileException.class, () -> ns.lock("l"));
            assertTrue(e.getMessage().contains(team.resolve("app/l") + ": refused: it is a symbolic link"),
                    e.getMessage());
            ns.destroy();
        }
        assertFalse(Files.exists(team.resolve("app"), LinkOption.NOFOLLOW_LINKS), "destroy removes the namespace");
    }

    @Test
    void shouldNeverFollowANamespaceDirectorySwappedForALink() throws Exception {
        try (Namespace ns = Procsync.open("app", teamOptions())) {
            ns.lock("a").close();
            attack("mv " + team + "/app " + team + "/app.old && ln -s " + outside + " " + team + "/app");
            assertTrue(assertThrows(UntrustedFileException.class, () -> ns.lock("b")).getMessage()
                    .contains(team.resolve("app") + ": refused: it is a symbolic link"));
            assertThrows(UntrustedFileException.class, () -> ns.unlink("secret"));
            assertThrows(UntrustedFileException.class, ns::names);
            assertThrows(UntrustedFileException.class, ns::destroy);
        }
        try (Namespace ns = Procsync.open("app.old", teamOptions())) {
            attack("rm " + team + "/app && mkdir -m 0777 " + team + "/app");
            assertTrue(assertThrows(UntrustedFileException.class, () -> Procsync.open("app", teamOptions()))
                    .getMessage().contains(team.resolve("app") + ": refused: directory mode 0777 is wider than the"
                            + " 0770"));
            attack("mv " + team + "/app.old " + team + "/app.older && ln -s " + outside + " " + team + "/app.old");
            assertThrows(UntrustedFileException.class, ns::destroy);
        }
        assertTrue(Files.exists(team.resolve("app.older/a")), "the real namespace keeps its file");
    }

    @Test
    void shouldRefuseASquattedFileOpenToEveryone() throws Exception {
        Path fake = stage(validHeldLock(), "fake-lock");
        try (Namespace ns = Procsync.open("app", teamOptions())) {
            attack("cp " + fake + " " + team + "/app/q && chmod 0666 " + team + "/app/q");
            UntrustedFileException e = assertThrows(UntrustedFileException.class, () -> ns.lock("q"));
            assertTrue(e.getMessage().contains(team.resolve("app/q") + ": refused: file mode 0666 is wider than the"
                    + " 0660"), e.getMessage());
        }
    }

    @Test
    void shouldDescribeAForeignFileWithoutQuotingIt() throws Exception {
        byte[] passwd = Arrays.copyOf("root:x:0:0:root:/root:/bin/bash\n".getBytes(StandardCharsets.US_ASCII), 4096);
        Path staged = stage(passwd, "passwd-like");
        try (Namespace ns = Procsync.open("app", teamOptions())) {
            attack("cp " + staged + " " + team + "/app/p && chmod 0660 " + team + "/app/p");
            InvalidSegmentException e = assertThrows(InvalidSegmentException.class, () -> ns.lock("p"));
            assertTrue(e.getMessage().equals(team.resolve("app/p") + ": not a procsync segment (it does not start"
                    + " with the procsync magic)"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseAFileShorterThanItsHeaderSaysItsKindNeeds() throws Exception {
        byte[] barrier;
        try (Namespace scratch = Procsync.open("scratch", scratchOptions)) {
            scratch.barrier("b", 2).close();
            barrier = Files.readAllBytes(scratch.directory().resolve("b"));
        }
        ByteBuffer.wrap(barrier).order(ByteOrder.LITTLE_ENDIAN).putLong(HeaderLayout.paramOffset(0), 60_000);
        Path staged = stage(barrier, "short-barrier");
        try (Namespace ns = Procsync.open("app", teamOptions())) {
            attack("cp " + staged + " " + team + "/app/b && chmod 0660 " + team + "/app/b");
            InvalidSegmentException e = assertThrows(InvalidSegmentException.class, () -> ns.barrier("b", 60_000));
            assertTrue(e.getMessage().contains("4096 bytes is shorter than a BARRIER with these parameters needs"),
                    e.getMessage());
        }
    }

    // ---- truncation: the victim runs in child JVMs, with the JIT and interpreted ----

    /**
     * Victim child: {@code args = root, namespace, name, how}. "blocked" opens the lock, which the
     * parent holds, says READY and sleeps in acquire(); "squatted" tries the name 50 times, saying
     * READY after the first refusal. Either way it ends by printing what happened.
     */
    public static final class Victim {
        public static void main(String[] args) throws Exception {
            NamespaceOptions options = NamespaceOptions.defaults().withRoot(Path.of(args[0])).withGroup(NOGROUP)
                    .withFileMode(0660);
            try (Namespace ns = Procsync.open(args[1], options)) {
                if ("blocked".equals(args[3])) {
                    try (Lock lock = ns.lock(args[2])) {
                        System.out.println("READY");
                        lock.acquire();
                        System.out.println("ACQUIRED");
                    } catch (Throwable t) {
                        System.out.println("FAILED " + t.getClass().getName() + "|" + t.getMessage());
                    }
                    return;
                }
                int refused = 0;
                String first = "";
                for (int i = 0; i < 50; i++) {
                    try (Lock lock = ns.lock(args[2])) {
                        System.out.println("OPENED " + lock.tryAcquire());
                    } catch (UntrustedFileException e) {
                        if (refused++ == 0) {
                            first = e.getMessage();
                            System.out.println("READY");
                        }
                    }
                }
                System.out.println("REFUSED " + refused + "|" + first);
            }
        }
    }

    @Test
    void shouldEndAWaiterWithAnExceptionWhenAGroupMemberTruncatesItsFile() throws Exception {
        for (String mode : List.of("-XX:+UseSerialGC", "-Xint")) {
            try (Namespace ns = Procsync.open("app", teamOptions()); Children children = new Children()) {
                Lock lock = ns.lock("l");
                lock.acquire();
                ChildProcess child = victim(children, mode, "app", "l", "blocked");
                child.awaitLine("READY"::equals, Children.JOIN);
                long deadline = System.nanoTime() + Children.JOIN.toNanos();
                while ((lock.segment().getIntAcquire(HeaderLayout.LENGTH) & (1 << 30)) == 0) {
                    assertTrue(System.nanoTime() < deadline, "the victim never went to sleep on the lock");
                    Thread.onSpinWait();
                }
                lock.close(); // this process must not touch the pages either
                attack("truncate -s 0 " + team + "/app/l");
                String out = finish(child);
                String failed = child.awaitLine(l -> l.startsWith("FAILED "), Duration.ofSeconds(1));
                assertTrue(failed.startsWith("FAILED " + InvalidSegmentException.class.getName() + "|"
                        + team.resolve("app/l") + ": the file was truncated while mapped"), out);
                System.out.println("[reliability] trust: group member truncates under a waiter (" + mode + ", "
                        + Runtime.version() + "): " + failed);
                ns.destroy();
            }
        }
    }

    @Test
    void shouldNeverMapASquattedFileSoItsTruncationCannotReachTheVictim() throws Exception {
        Path fake = stage(validHeldLock(), "fake-lock");
        for (String mode : List.of("-XX:+UseSerialGC", "-Xint")) {
            try (Namespace ns = Procsync.open("app", teamOptions()); Children children = new Children()) {
                attack("cp " + fake + " " + team + "/app/q && chmod 0666 " + team + "/app/q");
                ChildProcess child = victim(children, mode, "app", "q", "squatted");
                child.awaitLine("READY"::equals, Children.JOIN);
                attack("truncate -s 0 " + team + "/app/q && truncate -s 4096 " + team + "/app/q && truncate -s 0 "
                        + team + "/app/q");
                String out = finish(child);
                assertTrue(out.contains("REFUSED 50|" + team.resolve("app/q") + ": refused: file mode 0666"), out);
                assertFalse(out.contains("OPENED"), out);
                ns.destroy();
            }
        }
    }

    private ChildProcess victim(Children children, String mode, String... args) {
        ChildProcess child = ChildProcess.builder(Victim.class).captureOutput().jvmArgs("-Xmx64m", mode,
                "-XX:ErrorFile=" + root.path().resolve("hs_err_pid%p.log"))
                .args(team.toString(), args[0], args[1], args[2]).start();
        children.all().add(child);
        return child;
    }

    private static String finish(ChildProcess child) throws InterruptedException {
        int code = child.joinExitCode(Children.JOIN);
        String out = child.output();
        assertEquals(0, code, () -> "victim crashed (exit " + code + ") instead of throwing:\n" + out);
        return out;
    }

    // ---- helpers ----

    /** The bytes of a real Lock held by this (live) process: a staged holder that would block the victim. */
    private byte[] validHeldLock() throws Exception {
        try (Namespace scratch = Procsync.open("scratch", scratchOptions); Lock lock = scratch.lock("held")) {
            lock.acquire();
            try {
                return Files.readAllBytes(lock.segment().path());
            } finally {
                lock.release();
            }
        }
    }

    private Path stage(byte[] bytes, String name) throws IOException {
        Path file = Files.write(stage.resolve(name), bytes);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    /** Runs a shell script as nobody (uid and gid 65534, no other groups) and asserts it succeeded. */
    private static void attack(String script) {
        OtherUser.Result r = OtherUser.shell(script);
        assertEquals(0, r.code(), () -> "the attacker could not even try '" + script + "': " + r.out());
    }

    /** Every file under a directory (links not followed): its type, mode, owner, size and contents. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
                String content = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        ? Arrays.toString(Files.readAllBytes(p)) : Files.isSymbolicLink(p)
                        ? "-> " + Files.readSymbolicLink(p) : "";
                files.put(dir.relativize(p).toString(), a + " " + content.hashCode());
            }
        }
        return files;
    }
}
