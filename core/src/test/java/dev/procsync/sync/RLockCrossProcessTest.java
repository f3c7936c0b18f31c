package dev.procsync.sync;

import dev.procsync.layout.HeaderLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RLockCrossProcessTest {
    static final int COUNTER = HeaderLayout.LENGTH;

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("xrlock");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    static Segment counter(Namespace ns) {
        return ns.createOrOpen("counter", SegmentSpec.of(SegmentKind.VALUE, 8), s -> { });
    }

    /** Child: non-atomic increments under a doubly-held RLock (outer hold plus a re-entrant inner one). */
    public static final class Incrementer {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); RLock lock = ns.rlock("db")) {
                Segment counter = counter(ns);
                int n = Integer.parseInt(args[2]);
                for (int i = 0; i < n; i++) {
                    lock.acquire();
                    lock.acquire();
                    long v = counter.getLong(COUNTER);
                    Thread.onSpinWait();
                    counter.setLong(COUNTER, v + 1);
                    lock.release();
                    if (lock.holdCount() != 1) {
                        throw new AssertionError("hold count " + lock.holdCount());
                    }
                    lock.release();
                }
            }
        }
    }

    /** Child: takes the lock twice, says so, and holds it until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            RLock lock = ns.rlock("db");
            lock.acquire();
            lock.acquire();
            System.out.println("HELD");
            new CountDownLatch(1).await();
        }
    }

    /** Child: tries to release a lock another process holds and reports the exception. */
    public static final class Releaser {
        public static void main(String[] args) {
            try (Namespace ns = TempRoot.openFromArgs(args); RLock lock = ns.rlock("db")) {
                lock.release();
                System.out.println("RELEASED");
            } catch (IllegalMonitorStateException e) {
                System.out.println("REFUSED " + e.getMessage());
            }
        }
    }

    @Test
    void shouldLoseNoUpdateAcrossThreeProcesses() throws Exception {
        try (Children children = new Children(); Segment counter = counter(ns)) {
            for (int i = 0; i < 3; i++) {
                children.start(Incrementer.class, root.childArgs("xrlock", "10000"));
            }
            children.joinAllSuccessfully();
            assertEquals(30_000, counter.getLong(COUNTER));
        }
    }

    @Test
    void shouldRefuseReleaseFromAnotherProcessInBothDirections() throws Exception {
        try (Children children = new Children(); RLock lock = ns.rlock("db")) {
            lock.acquire();
            ChildProcess releaser = children.start(Releaser.class, root.childArgs("xrlock"));
            String line = releaser.awaitLine(l -> l.startsWith("REFUSED") || l.startsWith("RELEASED"), Children.JOIN);
            assertTrue(line.startsWith("REFUSED") && line.contains("rlock 'db'")
                    && line.contains("held by a thread of pid " + ProcessHandle.current().pid()), line);
            assertTrue(lock.isHeldByCurrentThread());
            lock.release();

            ChildProcess holder = children.start(Holder.class, root.childArgs("xrlock"));
            holder.awaitLine("HELD"::equals, Children.JOIN);
            IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, lock::release);
            assertTrue(e.getMessage().contains("held by a thread of pid " + holder.pid()), e.getMessage());
            assertEquals(0, lock.holdCount());
            assertEquals(holder.pid(), lock.ownerPid());
        }
    }

    @Test
    void shouldRecoverFromKilledHolderPromptlyAndTellTheNewOwner() throws Exception {
        try (Children children = new Children(); RLock lock = ns.rlock("db")) {
            ChildProcess holder = children.start(Holder.class, root.childArgs("xrlock"));
            holder.awaitLine("HELD"::equals, Children.JOIN);
            assertFalse(lock.tryAcquire(Duration.ofMillis(100)), "a live holder must never be forced");

            long killedAt = System.nanoTime();
            holder.kill();
            assertTrue(lock.tryAcquire(Duration.ofSeconds(10)));
            long tookMillis = (System.nanoTime() - killedAt) / 1_000_000;

            assertTrue(lock.previousOwnerDied(), "new owner must be told the previous one died");
            // Typically one liveness slice (25 ms); the bound is the Barrier test's generous one, so a
            // loaded machine cannot fail it while a recovery that waits for the 10 s timeout still does.
            assertTrue(tookMillis < 2_000, "recovery took " + tookMillis + " ms");
            assertEquals(1, lock.holdCount(), "the dead holder's two holds are not inherited");
            assertTrue(lock.tryAcquire());
            lock.release();
            lock.release();
            assertFalse(lock.isLocked());
            lock.acquire();
            assertFalse(lock.previousOwnerDied(), "the signal belongs to the recovering hold only");
            lock.release();
        }
    }
}
