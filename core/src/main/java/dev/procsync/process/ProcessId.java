package dev.procsync.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A process identity that survives pid reuse: the pid plus the process start time, field 22 of
 * {@code /proc/<pid>/stat} (clock ticks since boot). Two processes never share both.
 *
 * <p>Shared words store the pid (it fits in 22 bits on Linux: {@code pid_max} is at most
 * 2<sup>22</sup>) and the start time beside it, so a liveness check cannot be fooled by a new
 * process that inherited a dead owner's pid.
 *
 * @param pid       the process id
 * @param startTime the process start time in clock ticks since boot
 */
public record ProcessId(int pid, long startTime) {
    /** Largest pid Linux hands out ({@code PID_MAX_LIMIT}, 2<sup>22</sup>). */
    public static final int PID_MAX = 1 << 22;

    private static final ProcessId CURRENT = current0();

    /**
     * Validates the fields.
     *
     * @param pid       the process id, 1..{@link #PID_MAX}
     * @param startTime the process start time, not negative
     */
    public ProcessId {
        if (pid <= 0 || pid > PID_MAX) {
            throw new IllegalArgumentException("pid out of range 1.." + PID_MAX + ": " + pid);
        }
        if (startTime < 0) {
            throw new IllegalArgumentException("negative start time: " + startTime);
        }
    }

    /** This process. */
    public static ProcessId current() {
        return CURRENT;
    }

    /**
     * The identity of a live process.
     *
     * @param pid a process id
     * @return its identity, or {@code null} if no process has that pid now
     */
    public static @Nullable ProcessId of(int pid) {
        long start = startTimeOf(pid);
        return start < 0 ? null : new ProcessId(pid, start);
    }

    /** Whether this process still runs (a zombie counts as dead: it holds nothing any more). */
    public boolean isAlive() {
        return startTimeOf(pid) == startTime;
    }

    /**
     * Reads the start time of a pid.
     *
     * @param pid a process id
     * @return its start time in clock ticks since boot, or -1 if no such live (non-zombie) process
     */
    public static long startTimeOf(int pid) {
        if (pid <= 0) {
            return -1;
        }
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            // ESRCH while reading: the process exited between open and read.
            return -1;
        }
        // The command name (field 2) is in parentheses and may itself hold ") ": parse after the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] fields = stat.substring(close + 2).trim().split(" ");
        // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
        if (fields.length < 20) {
            return -1;
        }
        if ("Z".equals(fields[0]) || "X".equals(fields[0])) {
            return -1;
        }
        return Long.parseLong(fields[19]);
    }

    private static ProcessId current0() {
        int pid = (int) ProcessHandle.current().pid();
        long start = startTimeOf(pid);
        if (start < 0) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat: procsync needs procfs");
        }
        return new ProcessId(pid, start);
    }

    @Override
    public String toString() {
        return pid + "@" + startTime;
    }
}
