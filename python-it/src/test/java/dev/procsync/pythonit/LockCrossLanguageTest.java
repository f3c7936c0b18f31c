package dev.procsync.pythonit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.data.SharedLong;
import dev.procsync.process.ChildProcess;
import dev.procsync.pythonit.Python.Backend;
import dev.procsync.pythonit.Python.Peer;
import dev.procsync.sync.Event;
import dev.procsync.sync.Lock;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One Lock shared by JVM and Python processes: exact counts, and owner-death takeover both ways. */
class LockCrossLanguageTest {
    private static final int PER_PROCESS = 3_000;

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("xlock");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /** Child JVM: waits for "go", then adds {@code args[2]} to "counter" under "l", non-atomically. */
    public static final class Counter {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Lock lock = ns.lock("l");
                    SharedLong counter = ns.sharedLong("counter"); Event go = ns.event("go")) {
                if (!go.await(Duration.ofSeconds(60))) {
                    throw new AssertionError("no go");
                }
                int n = Integer.parseInt(args[2]);
                for (int i = 0; i < n; i++) {
                    lock.acquire();
                    try {
                        counter.set(counter.get() + 1); // a lost update unless the lock excludes everyone
                    } finally {
                        lock.release();
                    }
                }
            }
        }
    }

    /** Child JVM: takes "l", says so through event "held", and waits to be killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            ns.lock("l").acquire();
            ns.event("held").set();
            Thread.sleep(600_000);
        }
    }

    @Test
    void shouldCountExactlyWithTwoJvmsAndTwoPythonsIncrementingUnderOneLock() throws Exception {
        try (Lock lock = ns.lock("l"); SharedLong counter = ns.sharedLong("counter"); Event go = ns.event("go");
                Children jvms = new Children();
                Peer extension = Python.peer(Backend.EXTENSION, root.path(), "xlock", "counter", "" + PER_PROCESS);
                Peer fallback = Python.peer(Backend.CTYPES, root.path(), "xlock", "counter", "" + PER_PROCESS)) {
            jvms.start(Counter.class, root.childArgs("xlock", "" + PER_PROCESS));
            jvms.start(Counter.class, root.childArgs("xlock", "" + PER_PROCESS));
            extension.awaitLine("PEER", Python.JOIN);
            fallback.awaitLine("PEER", Python.JOIN);
            go.set();
            jvms.joinAllSuccessfully();
            extension.joinSuccessfully();
            fallback.joinSuccessfully();
            assertEquals(4L * PER_PROCESS, counter.get());
            assertTrue(!lock.isLocked());
        }
    }

    @Test
    void shouldLetAJvmWaiterTakeOverFromAPythonHolderKilledInside() throws Exception {
        for (Backend backend : Backend.values()) {
            Python.assumeBackend(backend);
            try (Lock lock = ns.lock("l"); Peer holder = Python.peer(backend, root.path(), "xlock", "lock-hold")) {
                String held = holder.awaitLine("HELD", Python.JOIN);
                assertEquals(held.substring(5), "" + lock.ownerPid(), "the Python pid is in the word");
                holder.kill();
                assertTrue(lock.tryAcquire(Duration.ofSeconds(30)), backend + ": JVM waiter took the lock over");
                assertTrue(lock.previousOwnerDied(), backend + ": told previousOwnerDied");
                lock.release();
                assertTrue(!lock.previousOwnerDied());
            }
        }
    }

    @Test
    void shouldLetAPythonWaiterTakeOverFromAJvmHolderKilledInside() throws Exception {
        for (Backend backend : Backend.values()) {
            Python.assumeBackend(backend);
            try (Lock lock = ns.lock("l"); Event held = ns.event("held"); Children jvms = new Children()) {
                held.clear();
                ChildProcess holder = jvms.start(Holder.class, root.childArgs("xlock"));
                assertTrue(held.await(Duration.ofSeconds(60)), "JVM holder took the lock: " + holder.output());
                assertEquals(holder.pid(), lock.ownerPid());
                try (Peer waiter = Python.peer(backend, root.path(), "xlock", "lock-wait", "30")) {
                    waiter.awaitLine("WAITING", Python.JOIN);
                    holder.kill();
                    assertEquals("TAKEN True True", waiter.awaitLine("TAKEN", Python.JOIN),
                            backend + ": Python waiter took over and was told the owner died");
                    waiter.joinSuccessfully();
                }
                assertTrue(!lock.isLocked());
            }
        }
    }
}
