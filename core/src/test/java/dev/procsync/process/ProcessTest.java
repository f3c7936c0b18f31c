package dev.procsync.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
        try (ChildProcess child = ChildProcess.start(Echo.class, "3", "x y")) {
            assertEquals(3, child.joinExitCode(Duration.ofSeconds(60)));
            assertTrue(child.output().contains("ARGS 3,x y"), child.output());
            assertEquals(3, child.exitCode().getAsInt());
        }
    }

    @Test
    void shouldKillChildAndSeeItDead() throws Exception {
        try (ChildProcess child = ChildProcess.start(Forever.class)) {
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
        try (ChildProcess child = ChildProcess.start(Forever.class)) {
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
