package dev.procsync.reactive.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveEvent;
import dev.procsync.reactive.ReactiveLock;
import dev.procsync.internal.engine.Poller;
import dev.procsync.reactive.testing.Ns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TenThousandWaitersTest {
    private static final int WAITERS = 10_000;
    private static final int LOCKS = 25;
    private static final int EVENTS = 25;

    private final Ns ns = new Ns("rx10k");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    private static long libraryThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("procsync")).count();
    }

    @Test
    void shouldCompleteTenThousandPendingAcquiresAndAwaitsWithAtMostTwoLibraryThreads() throws Exception {
        List<ReactiveLock> locks = new ArrayList<>();
        List<Permit> first = new ArrayList<>();
        for (int i = 0; i < LOCKS; i++) {
            ReactiveLock lock = ns.rx.lock("l" + i);
            locks.add(lock);
            first.add(lock.tryAcquire().block());
        }
        List<ReactiveEvent> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            events.add(ns.rx.event("e" + i));
        }
        int threadsBefore = Thread.activeCount();
        CountDownLatch done = new CountDownLatch(WAITERS);
        CountDownLatch awaited = new CountDownLatch(WAITERS);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        int[] perLockInside = new int[LOCKS];
        for (int i = 0; i < WAITERS; i++) {
            int which = i % LOCKS;
            locks.get(which).acquire().subscribe(permit -> {
                synchronized (perLockInside) {
                    if (++perLockInside[which] > 1) {
                        overlaps.incrementAndGet();
                    }
                    perLockInside[which]--;
                }
                inside.incrementAndGet();
                permit.close();
                done.countDown();
            });
        }
        for (int i = 0; i < WAITERS; i++) {
            events.get(i % EVENTS).await().subscribe(null, e -> { }, awaited::countDown);
        }
        assertEquals(WAITERS, done.getCount(), "all must be pending while the locks are held");
        assertEquals(WAITERS, awaited.getCount(), "all must be pending while the events are lowered");
        long pendingThreads = libraryThreads();
        assertTrue(pendingThreads <= 2, "library threads while 10,000 wait: " + pendingThreads);
        first.forEach(Permit::close);
        events.forEach(e -> e.set().block());
        assertTrue(done.await(60, TimeUnit.SECONDS), "acquires still pending: " + done.getCount());
        assertTrue(awaited.await(60, TimeUnit.SECONDS), "awaits still pending: " + awaited.getCount());
        assertEquals(0, overlaps.get());
        long after = libraryThreads();
        assertTrue(after <= 2, "library threads: " + after);
        int growth = Thread.activeCount() - threadsBefore;
        int parallel = reactor.core.scheduler.Schedulers.DEFAULT_POOL_SIZE;
        assertTrue(growth <= parallel + 2, "threads grew by " + growth);
        assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(Poller.THREAD_NAME)));
        for (ReactiveLock lock : locks) {
            assertEquals(Boolean.FALSE, lock.isLocked().block(Duration.ofSeconds(5)));
            lock.close();
        }
        events.forEach(ReactiveEvent::close);
    }
}
