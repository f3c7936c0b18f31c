package dev.procsync.bench.harness;

import dev.procsync.Namespace;
import dev.procsync.bench.BenchNamespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.reactive.ReactiveLock;
import dev.procsync.reactive.shm.ShmReactiveProcsync;
import dev.procsync.sync.Event;
import dev.procsync.sync.Lock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 10,000 reactive acquires of one Lock pending at once while another process holds it: threads the
 * library has running (named {@code procsync*}), heap used by the pending waiters, and the time
 * from the holder's release until every waiter has had (and released) the lock.
 */
final class ReactiveWaitersWorkload implements Workload {
    private static final int WAITERS = 10_000;

    @Override
    public String name() {
        return "reactive-10k-waiters";
    }

    private static int libraryThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("procsync"))
                .count();
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Override
    public List<Result> run(Path root, boolean quick) throws Exception {
        int waiters = quick ? 1_000 : WAITERS;
        try (Namespace ns = BenchNamespace.open(root, "bench"); Event release = ns.event("release");
                Peers peers = new Peers()) {
            ChildProcess holder = peers.start(this, root);
            holder.awaitLine("HELD"::equals, Duration.ofMinutes(1));
            long heapBefore = usedHeap();
            ReactiveLock rx = ShmReactiveProcsync.of(ns).lock("lock");
            CountDownLatch done = new CountDownLatch(waiters);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlap = new AtomicInteger();
            for (int i = 0; i < waiters; i++) {
                rx.acquire().flatMap(permit -> {
                    if (inside.incrementAndGet() > 1) {
                        overlap.incrementAndGet();
                    }
                    inside.decrementAndGet();
                    return permit.release();
                }).doFinally(s -> done.countDown()).subscribe();
            }
            long heapPending = usedHeap() - heapBefore;
            int threadsPending = libraryThreads(); // every thread named procsync*, the poller included
            long start = System.nanoTime();
            release.set();
            if (!done.await(5, java.util.concurrent.TimeUnit.MINUTES)) {
                throw new IllegalStateException(done.getCount() + " reactive waiters never completed");
            }
            long drain = System.nanoTime() - start;
            peers.joinAll();
            if (overlap.get() != 0) {
                throw new IllegalStateException("mutual exclusion broken " + overlap.get() + " times");
            }
            rx.close();
            return List.of(new Result("procsync", name()).put("waiters", waiters)
                    .put("threads", threadsPending).put("heap_bytes_per_waiter", heapPending / (double) waiters)
                    .put("drain_ms", drain / 1e6));
        }
    }

    @Override
    public void peer(Path root, String[] args) throws Exception {
        try (Namespace ns = BenchNamespace.open(root, "bench"); Event release = ns.event("release");
                Lock lock = ns.lock("lock")) {
            lock.acquire();
            System.out.println("HELD");
            release.await();
            lock.release();
        }
    }
}
