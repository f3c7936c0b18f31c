package dev.procsync.vthread;

import static dev.procsync.vthread.VirtualThreadSupport.assumeVirtualThreads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.segment.Segment;
import dev.procsync.sync.Lock;
import dev.procsync.sync.LockCrossProcessTest;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A cross-process {@link Lock} from virtual threads: they park on the waiting engine, not on a carrier. */
class VirtualThreadLockTest {
    private static final int COUNTER = LockCrossProcessTest.COUNTER;
    private static final Duration BOUND = Duration.ofSeconds(120);

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("vlock");

    @BeforeEach
    void needsVirtualThreads() {
        assumeVirtualThreads();
    }

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    @Test
    void shouldLetTenThousandVirtualThreadsShareALockWithAnotherProcess() throws Throwable {
        int threads = 10_000;
        int childRounds = 2_000;
        try (Children children = new Children(); Lock lock = ns.lock("db");
                Segment counter = LockCrossProcessTest.counter(ns)) {
            children.start(LockCrossProcessTest.Incrementer.class,
                    root.childArgs("vlock", String.valueOf(childRounds), "true"));
            VirtualThreadSupport.Group group = new VirtualThreadSupport.Group(threads);
            for (int i = 0; i < threads; i++) {
                group.start(() -> {
                    lock.acquire();
                    try {
                        long v = counter.getLong(COUNTER);
                        Thread.sleep(1);
                        counter.setLong(COUNTER, v + 1);
                    } finally {
                        lock.release();
                    }
                });
            }
            group.join(BOUND);
            children.joinAllSuccessfully();
            assertEquals(threads + childRounds, counter.getLong(COUNTER), "an update was lost: the lock failed");
        }
    }

    @Test
    void shouldTimeOutOnAVirtualThread() throws Throwable {
        try (Children children = new Children(); Lock lock = ns.lock("db")) {
            ChildProcess holder = children.start(LockCrossProcessTest.Holder.class, root.childArgs("vlock"));
            holder.awaitLine("HELD"::equals, Children.JOIN);
            AtomicReference<Boolean> got = new AtomicReference<>();
            VirtualThreadSupport.Group group = new VirtualThreadSupport.Group(1);
            group.start(() -> got.set(lock.tryAcquire(Duration.ofMillis(200))));
            group.join(BOUND);
            assertFalse(got.get(), "a live holder must never be forced");
        }
    }

    @Test
    void shouldThrowInterruptedExceptionOnAnInterruptedVirtualThread() throws Throwable {
        try (Children children = new Children(); Lock lock = ns.lock("db")) {
            ChildProcess holder = children.start(LockCrossProcessTest.Holder.class, root.childArgs("vlock"));
            holder.awaitLine("HELD"::equals, Children.JOIN);
            AtomicBoolean interrupted = new AtomicBoolean();
            VirtualThreadSupport.Group group = new VirtualThreadSupport.Group(1);
            Thread waiter = group.start(() -> {
                try {
                    lock.acquire();
                    lock.release();
                } catch (InterruptedException expected) {
                    interrupted.set(true);
                }
            });
            group.awaitAllParked(BOUND);
            waiter.interrupt();
            group.join(BOUND);
            assertTrue(interrupted.get(), "acquire() must end with InterruptedException, as on a platform thread");
            assertTrue(holder.isAlive());
        }
    }

    @Test
    void shouldTakeOverFromAKilledHolderOnAVirtualThread() throws Throwable {
        try (Children children = new Children(); Lock lock = ns.lock("db")) {
            ChildProcess holder = children.start(LockCrossProcessTest.Holder.class, root.childArgs("vlock"));
            holder.awaitLine("HELD"::equals, Children.JOIN);
            AtomicBoolean toldDied = new AtomicBoolean();
            VirtualThreadSupport.Group group = new VirtualThreadSupport.Group(4);
            for (int i = 0; i < 4; i++) {
                group.start(() -> {
                    lock.acquire();
                    try {
                        if (lock.previousOwnerDied()) {
                            toldDied.set(true);
                        }
                    } finally {
                        lock.release();
                    }
                });
            }
            group.awaitAllParked(BOUND);
            holder.kill();
            group.join(BOUND);
            assertTrue(toldDied.get(), "the virtual thread that took over must be told the previous owner died");
            assertFalse(lock.isLocked());
        }
    }
}
