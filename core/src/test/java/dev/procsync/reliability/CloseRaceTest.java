package dev.procsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.ClosedException;
import dev.procsync.Namespace;
import dev.procsync.sync.Lock;
import dev.procsync.testing.TempRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Closing a primitive or a whole namespace while other threads are inside its operations, blocked
 * or spinning: each of them ends with {@link ClosedException} within a bound, the JVM survives,
 * and no mapping stays behind once the handles are unreachable.
 */
class CloseRaceTest {
    private final TempRoot root = new TempRoot();

    @AfterEach
    void cleanUp() {
        root.close();
    }

    private static long mappedLines() throws Exception {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.count();
        }
    }

    /** Starts blocked and spinning users of {@code lock}; returns once all are inside their loops. */
    private static List<Thread> users(Lock lock, int blocked, int spinning, ConcurrentLinkedQueue<Throwable> ends)
            throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(blocked + spinning);
        for (int i = 0; i < blocked + spinning; i++) {
            boolean blocks = i < blocked;
            Thread t = new Thread(() -> {
                started.countDown();
                try {
                    while (true) {
                        if (blocks) {
                            lock.acquire(); // held by the test thread: sleeps until closed
                            lock.release();
                        } else if (lock.tryAcquire()) {
                            lock.release();
                        }
                    }
                } catch (Throwable e) {
                    ends.add(e);
                }
            }, (blocks ? "blocked-" : "spinning-") + i);
            t.start();
            threads.add(t);
        }
        started.await();
        return threads;
    }

    private static void assertAllEndedClosed(List<Thread> threads, ConcurrentLinkedQueue<Throwable> ends)
            throws InterruptedException {
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(10));
            assertTrue(!t.isAlive(), t.getName() + " is wedged after close");
        }
        assertEquals(threads.size(), ends.size());
        for (Throwable e : ends) {
            assertTrue(e instanceof ClosedException, "expected ClosedException, got " + e);
        }
    }

    @Test
    void shouldEndBlockedAndSpinningThreadsWithClosedExceptionWhenAPrimitiveIsClosed() throws Exception {
        try (Namespace ns = root.open("close"); Lock holder = ns.lock("l")) {
            for (int round = 0; round < 20; round++) {
                Lock lock = ns.lock("l");
                holder.acquire();
                ConcurrentLinkedQueue<Throwable> ends = new ConcurrentLinkedQueue<>();
                List<Thread> threads = users(lock, 2, 2, ends);
                lock.close();
                assertAllEndedClosed(threads, ends);
                if (holder.isLocked() && holder.ownerPid() == ProcessHandle.current().pid()) {
                    holder.release();
                }
            }
        }
    }

    @Test
    void shouldEndEveryUserWhenTheNamespaceIsClosed() throws Exception {
        for (int round = 0; round < 10; round++) {
            Namespace ns = root.open("nsclose");
            Lock a = ns.lock("a");
            Lock b = ns.lock("b" + round); // a fresh name: the closed round's hold is never released
            Lock held = ns.lock("b" + round);
            held.acquire();
            ConcurrentLinkedQueue<Throwable> ends = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>(users(a, 0, 2, ends));
            threads.addAll(users(b, 2, 0, ends));
            ns.close();
            assertAllEndedClosed(threads, ends);
            assertTrue(a.segment().isClosed() && b.segment().isClosed() && held.segment().isClosed());
        }
    }

    private long mappedFilesUnderRoot() throws Exception {
        String prefix = root.path().toString();
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(l -> l.contains(prefix)).count();
        }
    }

    @Test
    void shouldLeaveNoMappingBehindWhetherHandlesAreClosedOrJustDropped() throws Exception {
        try (Namespace warm = root.open("warm")) {
            warm.lock("w").close(); // load classes and JNA before the baseline
        }
        System.gc();
        long baseline = mappedLines();
        for (int i = 0; i < 300; i++) {
            try (Namespace ns = root.open("leak"); Lock lock = ns.lock("l" + (i % 10))) {
                lock.tryAcquire();
            }
        }
        assertEquals(0, mappedFilesUnderRoot(), "close() must take the file's pages out of this process");
        List<Lock> dropped = new ArrayList<>();
        Namespace open = root.open("dropped");
        for (int i = 0; i < 100; i++) {
            dropped.add(open.lock("d" + i)); // never closed: only unreachability can unmap them
        }
        long whileHeld = mappedFilesUnderRoot();
        assertEquals(100, whileHeld);
        dropped.clear();
        open = null;
        long files = whileHeld;
        long now = mappedLines();
        for (int i = 0; i < 100 && (files > 0 || now > baseline + 20); i++) {
            System.gc();
            try (Namespace ns = root.open("trigger")) {
                ns.lock("t").close(); // creating and closing segments runs the reclaimer
            }
            Thread.sleep(20); // reference processing is asynchronous: bounded retries, not a handshake
            files = mappedFilesUnderRoot();
            now = mappedLines();
        }
        System.out.println("[reliability] /proc/self/maps lines: baseline " + baseline + ", 100 dropped handles "
                + whileHeld + " file mappings, after gc + reclaim " + files + " file mappings, " + now + " lines");
        assertEquals(0, files, "dropped handles must be unmapped once unreachable");
        assertTrue(now <= baseline + 20, "mappings leaked: baseline " + baseline + ", now " + now);
    }
}
