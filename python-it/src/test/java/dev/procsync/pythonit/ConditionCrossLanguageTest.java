package dev.procsync.pythonit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.pythonit.Python.Backend;
import dev.procsync.pythonit.Python.Peer;
import dev.procsync.sync.Condition;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One Condition (over its default RLock {@code c~lock}) shared by a JVM and a Python process: a
 * notify in either language wakes a waiter in the other, and a wait releases the lock.
 */
class ConditionCrossLanguageTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("xcond");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    @Test
    void shouldWakeAPythonWaiterWhenAJvmNotifies() throws Exception {
        for (Backend backend : Backend.values()) {
            Python.assumeBackend(backend);
            try (Condition condition = ns.condition("c");
                    Peer waiter = Python.peer(backend, root.path(), "xcond", "condition-wait", "60")) {
                waiter.awaitLine("WAITING", Python.JOIN);
                awaitWaiters(condition, 1);
                // The Python waiter held the lock when it began to wait: taking it now proves the wait released it.
                assertTrue(condition.tryAcquire(Duration.ofSeconds(60)),
                        backend + ": the Python wait released the lock");
                try {
                    assertEquals(1, condition.signal(1), backend + ": one Python waiter notified");
                } finally {
                    condition.release();
                }
                assertEquals("WOKE True held=True", waiter.awaitLine("WOKE", Python.JOIN), backend.toString());
                waiter.joinSuccessfully();
                assertEquals(0, condition.waiterCount());
            }
        }
    }

    @Test
    void shouldWakeAJvmWaiterWhenPythonNotifies() throws Exception {
        for (Backend backend : Backend.values()) {
            Python.assumeBackend(backend);
            try (Condition condition = ns.condition("c")) {
                CompletableFuture<Boolean> notified = CompletableFuture.supplyAsync(() -> {
                    try {
                        condition.acquire();
                        try {
                            return condition.await(Duration.ofSeconds(60));
                        } finally {
                            condition.release();
                        }
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                awaitWaiters(condition, 1);
                try (Peer notifier = Python.peer(backend, root.path(), "xcond", "condition-notify", "60")) {
                    // The notifier must take the lock first: it can only if the JVM wait released it.
                    assertEquals("NOTIFIED 1", notifier.awaitLine("NOTIFIED", Python.JOIN), backend.toString());
                    notifier.joinSuccessfully();
                }
                assertTrue(notified.get(60, TimeUnit.SECONDS),
                        backend + ": the JVM waiter was notified, not timed out");
            }
        }
    }

    private static void awaitWaiters(Condition condition, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (condition.waiterCount() != n) {
            assertTrue(System.nanoTime() < deadline, "no " + n + " waiter(s) within 60 s: " + condition.waiterCount());
            Thread.sleep(5);
        }
    }
}
