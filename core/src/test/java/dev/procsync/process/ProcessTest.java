package dev.procsync.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ProcessTest {
    /** Child: prints its arguments and exits with the code in args[0]. */
    public static final class Echo {
        public static void main(String[] args) {
            System.out.println("ARGS " + String.join(",", args));
            System.exit(Integer.parseInt(args[0]));
        }
    }

    /** Child: says it is up and waits forever. */
    public static final class Forever {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("UP");
            new CountDownLatch(1).await();
        }
    }

    /** Child: prints a line on stdout and one on stderr, then exits. */
    public static final class Talker {
        public static void main(String[] args) {
            System.out.println("TO STDOUT");
            System.err.println("TO STDERR " + args[0]);
        }
    }

    /** Child: prints the system property named by args[0] and its JVM's native-access options. */
    public static final class Props {
        public static void main(String[] args) {
            System.out.println("PROP " + System.getProperty(args[0]));
            System.out.println("NATIVE " + java.lang.management.ManagementFactory.getRuntimeMXBean()
                    .getInputArguments().stream().filter(a -> a.startsWith("--enable-native-access")).toList());
        }
    }

    @Test
    void shouldFailFastWithTheChildsStderrWhenItCannotFindItsMainClass() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ChildProcess.builder("no.such.MainClass").start());
        assertTrue(e.getMessage().contains("died while starting (exit code 1)"), e.getMessage());
        assertTrue(e.getMessage().contains("Could not find or load main class no.such.MainClass"), e.getMessage());
        IllegalStateException captured = assertThrows(IllegalStateException.class,
                () -> ChildProcess.builder("no.such.MainClass").captureOutput().start());
        assertTrue(captured.getMessage().contains("Could not find or load main class"), captured.getMessage());
    }

    @Test
    void shouldFailFastWhenTheJvmRefusesAnOption() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ChildProcess.builder(Echo.class).jvmArgs("-XX:+NoSuchProcsyncOption").args("0").start());
        assertTrue(e.getMessage().contains("NoSuchProcsyncOption"), e.getMessage());
    }

    @Test
    void shouldReportADeathDuringStartLaterWhenNotWaiting() throws Exception {
        try (ChildProcess child = ChildProcess.builder("no.such.MainClass").waitForStart(false).captureOutput()
                .start()) {
            assertEquals(1, child.joinExitCode(Duration.ofSeconds(60)));
            assertTrue(child.output().contains("Could not find or load main class"), child.output());
        }
    }

    @Test
    void shouldShareStdoutAndPassStderrOnByDefault() throws Exception {
        try (ChildProcess child = ChildProcess.start(Forever.class)) {
            Path mine = Files.readSymbolicLink(Path.of("/proc/self/fd/1"));
            Path its = Files.readSymbolicLink(Path.of("/proc/" + child.pid() + "/fd/1"));
            assertEquals(mine, its, "the child writes to this process's stdout");
            assertThrows(IllegalStateException.class, () -> child.awaitLine("UP"::equals, Duration.ofSeconds(1)),
                    "awaitLine needs captured output");
        }
        PrintStream err = System.err;
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        System.setErr(new PrintStream(seen, true, StandardCharsets.UTF_8));
        try (ChildProcess child = ChildProcess.start(Talker.class, "42")) {
            assertEquals(0, child.joinExitCode(Duration.ofSeconds(60)));
            assertTrue(child.output().contains("TO STDERR 42"), "the stderr tail is kept: " + child.output());
        } finally {
            System.setErr(err);
        }
        String passedOn = seen.toString(StandardCharsets.UTF_8);
        assertTrue(passedOn.contains("TO STDERR 42"), passedOn);
        assertFalse(passedOn.contains("procsync-child-started"), "the start marker is not shown: " + passedOn);
    }

    @Test
    void shouldPassOnNamedPropertiesAndNativeAccess() throws Exception {
        System.setProperty("procsync.test.passed", "yes it was");
        try (ChildProcess child = ChildProcess.builder(Props.class).captureOutput()
                .inheritSystemProperties("procsync.test.passed", "procsync.test.unset").args("procsync.test.passed")
                .start()) {
            assertEquals(0, child.joinExitCode(Duration.ofSeconds(60)), child.output());
            assertTrue(child.output().contains("PROP yes it was"), child.output());
            if (Runtime.version().feature() >= 22) {
                assertTrue(child.output().contains("--enable-native-access"), child.output());
            }
            assertFalse(child.output().contains("procsync-child-started"), child.output());
        } finally {
            System.clearProperty("procsync.test.passed");
        }
        List<String> cmd = ChildProcess.builder(Props.class).inheritSystemProperties("procsync.test.unset").command();
        assertFalse(String.join(" ", cmd).contains("procsync.test.unset"), "unset properties are not passed");
    }

    @Test
    void shouldIdentifyThisProcessAsAlive() {
        ProcessId me = ProcessId.current();
        assertEquals(ProcessHandle.current().pid(), me.pid());
        assertTrue(me.isAlive());
        assertEquals(me, ProcessId.of(me.pid()));
    }

    @Test
    void shouldNotBeFooledByPidReuse() {
        ProcessId me = ProcessId.current();
        assertFalse(new ProcessId(me.pid(), me.startTime() + 1).isAlive(), "another start time is another process");
    }

    @Test
    void shouldRejectOutOfRangePids() {
        assertThrows(IllegalArgumentException.class, () -> new ProcessId(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ProcessId(ProcessId.PID_MAX + 1, 1));
        assertEquals(-1, ProcessId.startTimeOf(-3));
    }

    @Test
    void shouldRunChildAndReportExitCodeAndOutput() throws Exception {
        try (ChildProcess child = ChildProcess.builder(Echo.class).captureOutput().args("3", "x y").start()) {
            assertEquals(3, child.joinExitCode(Duration.ofSeconds(60)));
            assertTrue(child.output().contains("ARGS 3,x y"), child.output());
            assertEquals(3, child.exitCode().getAsInt());
        }
    }

    @Test
    void shouldKillChildAndSeeItDead() throws Exception {
        try (ChildProcess child = ChildProcess.builder(Forever.class).captureOutput().start()) {
            child.awaitLine("UP"::equals, Duration.ofSeconds(60));
            ProcessId id = child.id();
            assertNotNull(id);
            assertTrue(id.isAlive());
            assertFalse(child.join(Duration.ofMillis(50)));
            child.kill();
            assertEquals(137, child.joinExitCode(Duration.ofSeconds(30)), "SIGKILL exits 128+9");
            assertFalse(id.isAlive());
            assertNull(ProcessId.of((int) child.pid()));
        }
    }

    @Test
    void shouldTerminateChildGracefully() throws Exception {
        try (ChildProcess child = ChildProcess.builder(Forever.class).captureOutput().start()) {
            child.awaitLine("UP"::equals, Duration.ofSeconds(60));
            child.terminate();
            assertEquals(143, child.joinExitCode(Duration.ofSeconds(30)), "SIGTERM exits 128+15");
        }
    }

    @Test
    void shouldLetChildJvmsCallNativeCodeWithoutAWarningOnJdk22AndLater() {
        boolean wanted = Runtime.version().feature() >= 22;
        assertEquals(wanted, ChildProcess.builder(ProcessTest.class).command()
                .contains("--enable-native-access=ALL-UNNAMED"));
        assertFalse(ChildProcess.builder(ProcessTest.class).jvmArgs("--enable-native-access=ALL-UNNAMED").command()
                .stream().filter(a -> a.startsWith("--enable-native-access")).count() > 1,
                "an explicit option is not repeated");
    }
}
