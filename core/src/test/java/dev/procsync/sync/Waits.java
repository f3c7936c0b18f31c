package dev.procsync.sync;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/** Test handshakes on shared counters: poll a count until it reaches a value, with a bound. */
final class Waits {
    static final Duration BOUND = Duration.ofSeconds(30);

    private Waits() {
    }

    /** Waits (bounded) until {@code count} returns at least {@code atLeast}. */
    static void until(String what, IntSupplier count, int atLeast) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        for (int polls = 0; count.getAsInt() < atLeast; polls++) {
            if (System.nanoTime() - deadline > 0) {
                fail(what + ": expected at least " + atLeast + " within " + BOUND + ", have " + count.getAsInt());
            }
            backOff(polls);
        }
    }

    /**
     * Waits (bounded) until the thread named {@code name} (at most 15 characters, unique in this
     * JVM) sleeps in the kernel in a futex wait, as /proc/self/task/TID/wchan shows.
     */
    static void untilSleepingInFutex(String name) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        for (int polls = 0; !sleepsInFutex(name); polls++) {
            if (System.nanoTime() - deadline > 0) {
                fail("thread " + name + " did not sleep in a futex wait within " + BOUND);
            }
            backOff(polls);
        }
    }

    /** Yields for the first polls, then parks 1 ms per poll: child JVMs starting up need the CPU. */
    private static void backOff(int polls) {
        if (polls < 100) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(1_000_000L);
        }
    }

    private static boolean sleepsInFutex(String name) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.anyMatch(task -> {
                try {
                    return Files.readString(task.resolve("comm")).trim().equals(name)
                            && Files.readString(task.resolve("wchan")).contains("futex");
                } catch (IOException e) {
                    return false; // the thread exited while we looked
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/task", e);
        }
    }

    /**
     * Runs a blocking call on a new thread of its own (never on the common pool, which has a single
     * thread on a 2-core machine and would run blocked waiters one at a time).
     */
    static <T> CompletableFuture<T> async(Callable<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return result;
    }
}
