package dev.procsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Condition over a plain Lock checks the thread, not the process (CPython's {@code _is_mine});
 * the Lock itself stays releasable by any thread.
 */
class ConditionThreadOwnershipTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("owner");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    private static <T> T inOtherThread(java.util.concurrent.Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "other");
        t.start();
        try {
            return f.get(Waits.BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    @Test
    void shouldRefuseAwaitAndSignalFromAnotherThreadOfTheHoldingProcess() throws Exception {
        try (Lock lock = ns.lock("l"); Condition c = ns.condition("c", lock)) {
            c.acquire();
            for (String op : new String[] {"await", "timed await", "awaitUntil", "signal", "signalAll"}) {
                IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class,
                        () -> inOtherThread(() -> switch (op) {
                            case "await" -> {
                                c.await();
                                yield null;
                            }
                            case "timed await" -> c.await(Duration.ofMillis(50));
                            case "awaitUntil" -> c.awaitUntil(() -> false, Duration.ofMillis(50));
                            case "signal" -> c.signal(1);
                            default -> c.signalAll();
                        }), op);
                assertTrue(e.getMessage().contains("lock 'l'") && e.getMessage().contains("thread '"
                        + Thread.currentThread().getName() + "'"), e.getMessage());
                assertSame(Thread.currentThread(), lock.holderThread(),
                        op + " must not have released the holder's lock");
                assertTrue(lock.isLocked());
            }
            assertEquals(0, c.signal(1), "the holder itself may signal");
            assertFalse(c.await(Duration.ofMillis(1)), "and await");
            assertSame(Thread.currentThread(), lock.holderThread(), "the re-acquire after a wait records the thread");
            c.release();
            assertThrows(IllegalMonitorStateException.class, () -> c.signal(1), "nobody holds it now");
        }
    }

    @Test
    void shouldTrackTheThreadThatAcquiredThroughTheLockHandleToo() throws Exception {
        try (Lock lock = ns.lock("l"); Condition c = ns.condition("c", lock)) {
            lock.acquire();
            assertThrows(IllegalMonitorStateException.class, () -> inOtherThread(() -> c.signal(1)));
            assertEquals(0, c.signal(1));
            // The Lock itself stays releasable by any thread (Python's multiprocessing.Lock); the
            // next holder is then whoever takes it.
            inOtherThread(() -> {
                lock.release();
                return null;
            });
            assertFalse(lock.isLocked());
            assertThrows(IllegalMonitorStateException.class, () -> c.signal(1));
            inOtherThread(() -> lock.tryAcquire());
            assertThrows(IllegalMonitorStateException.class, c::signalAll, "held by the other thread now");
            lock.release();
        }
    }

    @Test
    void shouldHandTheLockBetweenThreadsThroughAwaitAndSignal() throws Exception {
        try (Lock lock = ns.lock("l"); Condition c = ns.condition("c", lock)) {
            CompletableFuture<Thread> holderAfterWait = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    c.acquire();
                    try {
                        c.await();
                        holderAfterWait.complete(lock.holderThread());
                    } finally {
                        c.release();
                    }
                } catch (Throwable e) {
                    holderAfterWait.completeExceptionally(e);
                }
            }, "waiter");
            waiter.start();
            Waits.until("waiter", c::waiterCount, 1);
            c.acquire();
            try {
                assertEquals(1, c.signal(1));
            } finally {
                c.release();
            }
            assertSame(waiter, holderAfterWait.get(Waits.BOUND.toMillis(), TimeUnit.MILLISECONDS));
            waiter.join(Waits.BOUND.toMillis());
            assertFalse(lock.isLocked());
        }
    }

    /** Child: tries for "l" for a second and reports whether it got it. */
    public static final class Prober {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Lock lock = ns.lock("l")) {
                System.out.println("READY");
                boolean got = lock.tryAcquire(Duration.ofSeconds(1));
                System.out.println(got ? "ACQUIRED" : "REFUSED");
                if (got) {
                    lock.release();
                }
            }
        }
    }

    @Test
    void shouldNotLetAnotherThreadsAwaitOpenTheLockToAnotherProcess() throws Exception {
        try (Children children = new Children(); Lock lock = ns.lock("l"); Condition c = ns.condition("c", lock)) {
            c.acquire();
            ChildProcess child = children.start(Prober.class, root.childArgs("owner"));
            child.awaitLine("READY"::equals, Children.JOIN);
            // Before the fix, this timed await released the holder's lock and the child got in.
            assertThrows(IllegalMonitorStateException.class, () -> inOtherThread(() -> c.await(Duration.ofSeconds(2))));
            assertEquals("REFUSED", child.awaitLine(l -> l.equals("ACQUIRED") || l.equals("REFUSED"), Children.JOIN));
            children.joinAllSuccessfully();
            c.release();
        }
    }

    /** Child: waits on "c" over the Lock "l" and reports it was notified holding the lock. */
    public static final class Waiter {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Lock lock = ns.lock("l");
                    Condition c = ns.condition("c", lock)) {
                c.acquire();
                try {
                    System.out.println("WAITING");
                    boolean notified = c.await(Duration.ofSeconds(60));
                    boolean mine = lock.holderThread() == Thread.currentThread();
                    System.out.println(notified && mine ? "NOTIFIED" : "TIMEOUT");
                } finally {
                    c.release();
                }
            }
        }
    }

    @Test
    void shouldLetOnlyTheHolderThreadSignalAWaiterInAnotherProcess() throws Exception {
        try (Children children = new Children(); Lock lock = ns.lock("l"); Condition c = ns.condition("c", lock)) {
            ChildProcess child = children.start(Waiter.class, root.childArgs("owner"));
            child.awaitLine("WAITING"::equals, Children.JOIN);
            Waits.until("child waiting", c::waiterCount, 1);
            c.acquire();
            assertThrows(IllegalMonitorStateException.class, () -> inOtherThread(c::signalAll));
            assertEquals(1, waitingChildren(c));
            assertEquals(1, c.signal(1));
            c.release();
            assertEquals("NOTIFIED", child.awaitLine(l -> !l.equals("WAITING"), Children.JOIN));
            children.joinAllSuccessfully();
        }
    }

    private static int waitingChildren(Condition c) {
        return c.waiterCount();
    }
}
