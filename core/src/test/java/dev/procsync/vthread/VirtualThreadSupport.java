package dev.procsync.vthread;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Virtual threads for tests compiled at {@code --release 17}: started through a method handle to
 * {@code Thread.startVirtualThread}, and skipped (with the reason) on a JVM older than 21.
 */
final class VirtualThreadSupport {
    private static final MethodHandle START = startHandle();

    private VirtualThreadSupport() {
    }

    /** Skips the calling test on Java 17-20, saying why. */
    static void assumeVirtualThreads() {
        assumeTrue(START != null, "virtual threads need Java 21 or later; this JVM is " + Runtime.version());
    }

    /** Starts a virtual thread running {@code task}. */
    static Thread start(Runnable task) {
        try {
            return (Thread) START.invokeExact(task);
        } catch (Throwable e) {
            throw new AssertionError("cannot start a virtual thread", e);
        }
    }

    /** A task that may throw; failures are collected by {@link Group}. */
    interface Task {
        void run() throws Exception;
    }

    /** Virtual threads started together, their first failure kept, their end awaited. */
    static final class Group {
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final CountDownLatch done;

        Group(int size) {
            done = new CountDownLatch(size);
        }

        Thread start(Task task) {
            Thread t = VirtualThreadSupport.start(() -> {
                try {
                    task.run();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
            threads.add(t);
            return t;
        }

        /** Waits (bounded) until every thread is parked: a pinned carrier never lets them all get there. */
        void awaitAllParked(Duration bound) throws InterruptedException {
            long deadline = System.nanoTime() + bound.toNanos();
            for (Thread t : threads) {
                while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
                    assertTrue(t.isAlive(), "a waiter ended before it was expected to wait: " + failure.get());
                    assertTrue(System.nanoTime() < deadline, "not every virtual thread parked within " + bound
                            + " (state " + t.getState() + "): a carrier is pinned");
                    Thread.sleep(5);
                }
            }
        }

        /** Waits (bounded) for every thread to end, then rethrows the first failure. */
        void join(Duration bound) throws Throwable {
            assertTrue(done.await(bound.toMillis(), TimeUnit.MILLISECONDS),
                    done.getCount() + " virtual threads did not finish within " + bound);
            Throwable t = failure.get();
            if (t != null) {
                throw t;
            }
        }
    }

    private static MethodHandle startHandle() {
        try {
            return MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                    MethodType.methodType(Thread.class, Runnable.class));
        } catch (NoSuchMethodException | IllegalAccessException beforeJava21) {
            return null;
        }
    }
}
