package dev.procsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.segment.Segment;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The java.util.concurrent views of Lock and RLock across real processes. */
class JavaLockCrossProcessTest {
    private static final int COUNTER = LockCrossProcessTest.COUNTER;

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("xjlock");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    static java.util.concurrent.locks.Lock view(Namespace ns, String kind) {
        return (kind.equals("lock") ? (Mutex) ns.lock("m") : ns.rlock("m")).asJavaLock();
    }

    /** Child: increments the counter n times with a non-atomic read-modify-write under the view. */
    public static final class Incrementer {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args)) {
                java.util.concurrent.locks.Lock lock = view(ns, args[2]);
                Segment counter = LockCrossProcessTest.counter(ns);
                int n = Integer.parseInt(args[3]);
                for (int i = 0; i < n; i++) {
                    lock.lock();
                    try {
                        long v = counter.getLong(COUNTER);
                        Thread.onSpinWait();
                        counter.setLong(COUNTER, v + 1);
                    } finally {
                        lock.unlock();
                    }
                }
            }
        }
    }

    /** Child: awaits the view's condition until the counter is odd, then makes it even and signals. */
    public static final class PingPong {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args)) {
                java.util.concurrent.locks.Lock lock = view(ns, args[2]);
                java.util.concurrent.locks.Condition changed = lock.newCondition();
                Segment counter = LockCrossProcessTest.counter(ns);
                int rounds = Integer.parseInt(args[3]);
                lock.lock();
                try {
                    System.out.println("READY");
                    for (int i = 0; i < rounds; i++) {
                        long deadline = TimeUnit.SECONDS.toNanos(60);
                        while (counter.getLong(COUNTER) % 2 == 0) {
                            deadline = changed.awaitNanos(deadline);
                            if (deadline <= 0) {
                                throw new IllegalStateException("no signal within 60 s in round " + i);
                            }
                        }
                        counter.setLong(COUNTER, counter.getLong(COUNTER) + 1);
                        changed.signal();
                    }
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void shouldLoseNoUpdateAcrossProcessesUnderTheView(String kind) throws Exception {
        try (Children children = new Children(); Segment counter = LockCrossProcessTest.counter(ns)) {
            for (int i = 0; i < 2; i++) {
                children.start(Incrementer.class, root.childArgs("xjlock", kind, "10000"));
            }
            java.util.concurrent.locks.Lock lock = view(ns, kind);
            for (int i = 0; i < 10_000; i++) {
                lock.lock();
                try {
                    counter.setLong(COUNTER, counter.getLong(COUNTER) + 1);
                } finally {
                    lock.unlock();
                }
            }
            children.joinAllSuccessfully();
            assertEquals(30_000, counter.getLong(COUNTER));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void shouldPingPongOverTheViewsConditionAcrossProcesses(String kind) throws Exception {
        int rounds = 200;
        try (Children children = new Children(); Segment counter = LockCrossProcessTest.counter(ns)) {
            ChildProcess child = children.start(PingPong.class, root.childArgs("xjlock", kind, "" + rounds));
            child.awaitLine("READY"::equals, Children.JOIN);
            java.util.concurrent.locks.Lock lock = view(ns, kind);
            java.util.concurrent.locks.Condition changed = lock.newCondition();
            lock.lock();
            try {
                for (int i = 0; i < rounds; i++) {
                    counter.setLong(COUNTER, counter.getLong(COUNTER) + 1); // odd: the child's turn
                    changed.signal();
                    long left = TimeUnit.SECONDS.toNanos(60);
                    while (counter.getLong(COUNTER) % 2 != 0) {
                        left = changed.awaitNanos(left);
                        assertEquals(true, left > 0, "no answer within 60 s in round " + i);
                    }
                }
            } finally {
                lock.unlock();
            }
            children.joinAllSuccessfully();
            assertEquals(2L * rounds, counter.getLong(COUNTER));
        }
    }
}
