package dev.procsync.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procsync.process.ChildProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A group of child JVMs that a test starts, joins with a bound, and kills on close. */
public final class Children implements AutoCloseable {
    public static final Duration JOIN = Duration.ofSeconds(60);

    private final List<ChildProcess> all = new ArrayList<>();

    public ChildProcess start(Class<?> main, String... args) {
        ChildProcess child = ChildProcess.builder(main).captureOutput().jvmArgs("-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xshare:auto").args(args).start();
        all.add(child);
        return child;
    }

    public List<ChildProcess> all() {
        return all;
    }

    /** Joins every child and asserts each exited 0, showing its output otherwise. */
    public void joinAllSuccessfully() throws InterruptedException {
        for (ChildProcess child : all) {
            int code = child.joinExitCode(JOIN);
            assertEquals(0, code, () -> child + " failed with exit code " + code + "; output:\n" + child.output());
        }
    }

    @Override
    public void close() {
        all.forEach(ChildProcess::close);
    }
}
