package dev.procsync.bench.harness;

import dev.procsync.Namespace;
import dev.procsync.bench.BenchNamespace;
import dev.procsync.layout.HeaderLayout;
import dev.procsync.process.ChildProcess;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import dev.procsync.sync.Event;
import dev.procsync.sync.Lock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * 10,000 virtual threads, each once: acquire, sleep 1 ms, release. On a procsync Lock that a peer
 * process keeps using meanwhile, and, in the same run, on a {@link ReentrantLock} (the in-process
 * reference): the time until all are done. The sleeps serialise under the lock, so both are about
 * 10,000 × (1 ms + a hand-off); the ratio is what parking on the waiting engine costs. Needs Java
 * 21 or later (run.sh runs it on a newer JDK when the harness's own is older); on an older JVM it
 * reports nothing.
 */
final class VirtualThreadLockWorkload implements Workload {
    private static final int THREADS = 10_000;
    private static final int COUNTER = HeaderLayout.LENGTH;
    private static final int PEER_ROUNDS = COUNTER + 8;

    @Override
    public String name() {
        return "vthread-10k-lock";
    }

    private static Segment counter(Namespace ns) {
        return ns.createOrOpen("counter", SegmentSpec.of(SegmentKind.VALUE, 16), s -> { });
    }

    /** One task per virtual thread, all started at once; the time until the last is done. */
    private static long timeAll(int threads, Runnable task) throws Exception {
        ExecutorService executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            executor.execute(task);
        }
        executor.shutdown();
        if (!executor.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("virtual threads did not finish within 10 minutes");
        }
        return System.nanoTime() - start;
    }

    @Override
    public List<Result> run(Path root, boolean quick) throws Exception {
        if (Runtime.version().feature() < 21) {
            // A row that says why, as the Redis rows do without a server: the report shows it skipped.
            return List.of(new Result("procsync", name()).put("skipped",
                    "skipped: virtual threads need Java 21+ (this JVM is " + Runtime.version() + ")"));
        }
        int threads = quick ? 1_000 : THREADS;
        long procsyncNanos;
        long peerRounds;
        long total;
        try (Namespace ns = BenchNamespace.open(root, "bench"); Lock lock = ns.lock("lock");
                Event stop = ns.event("stop"); Segment counter = counter(ns); Peers peers = new Peers()) {
            ChildProcess peer = peers.start(this, root);
            peer.awaitLine("LOOPING"::equals, Duration.ofMinutes(1));
            procsyncNanos = timeAll(threads, () -> {
                try {
                    lock.acquire();
                    try {
                        long v = counter.getLong(COUNTER);
                        Thread.sleep(1);
                        counter.setLong(COUNTER, v + 1);
                    } finally {
                        lock.release();
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            stop.set();
            peers.joinAll();
            peerRounds = counter.getLongAcquire(PEER_ROUNDS);
            total = counter.getLongAcquire(COUNTER);
        }
        if (total != threads + peerRounds) {
            throw new IllegalStateException("lost updates under the lock: " + total + " != " + threads + " + "
                    + peerRounds);
        }
        ReentrantLock reference = new ReentrantLock();
        long[] plain = new long[1];
        long jdkNanos = timeAll(threads, () -> {
            reference.lock();
            try {
                long v = plain[0];
                Thread.sleep(1);
                plain[0] = v + 1;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                reference.unlock();
            }
        });
        return List.of(new Result("procsync", name()).put("total_s", procsyncNanos / 1e9).put("threads", threads)
                        .put("peer_rounds", peerRounds),
                new Result("jdk-ReentrantLock", name()).put("total_s", jdkNanos / 1e9).put("threads", threads));
    }

    @Override
    public void peer(Path root, String[] args) throws Exception {
        try (Namespace ns = BenchNamespace.open(root, "bench"); Lock lock = ns.lock("lock");
                Event stop = ns.event("stop"); Segment counter = counter(ns)) {
            long rounds = 0;
            System.out.println("LOOPING");
            while (!stop.isSet()) {
                lock.acquire();
                try {
                    counter.setLong(COUNTER, counter.getLong(COUNTER) + 1);
                } finally {
                    lock.release();
                }
                rounds++;
                Thread.sleep(0, 100_000); // a user of the lock, not a spinner hogging it
            }
            counter.setLongRelease(PEER_ROUNDS, rounds);
        }
    }
}
