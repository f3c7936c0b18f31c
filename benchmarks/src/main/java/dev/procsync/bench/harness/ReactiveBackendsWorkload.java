package dev.procsync.bench.harness;

import dev.procsync.Namespace;
import dev.procsync.bench.BenchNamespace;
import dev.procsync.codec.Codecs;
import dev.procsync.reactive.Permit;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveLock;
import dev.procsync.reactive.ReactiveProcsync;
import dev.procsync.reactive.ReactiveQueue;
import dev.procsync.reactive.shm.ShmReactiveProcsync;
import dev.procsync.redis.RedisReactiveProcsync;
import dev.procsync.redis.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The two backends of the reactive API side by side, in one run and one JVM: the same code on a
 * shared-memory namespace ({@code procsync}) and on a Redis server over loopback
 * ({@code procsync (redis, loopback)}), which this workload starts itself on a free port in a
 * temporary directory. Two measurements:
 * <ul>
 *   <li>{@code reactive-lock-roundtrip}: an uncontended {@code acquire()} then {@code release()},
 *       each awaited ({@code block()}), as a latency distribution;</li>
 *   <li>{@code reactive-queue-64}: 64-byte messages through one queue, {@code send(Flux)} on one
 *       handle and {@code receive()} on another, as messages per second.</li>
 * </ul>
 * Without a {@code redis-server} binary the Redis rows say {@code skipped} with the reason.
 */
final class ReactiveBackendsWorkload implements Workload {
    static final String LOCK = "reactive-lock-roundtrip";
    static final String QUEUE = "reactive-queue-64";
    private static final String REDIS = "redis, loopback";
    private static final Duration WAIT = Duration.ofMinutes(5);

    @Override
    public String name() {
        return "reactive-backends";
    }

    @Override
    public List<Result> run(Path root, boolean quick) throws Exception {
        List<Result> results = new ArrayList<>();
        try (Namespace ns = BenchNamespace.open(root, "bench")) {
            ReactiveProcsync shm = ShmReactiveProcsync.of(ns, Schedulers.boundedElastic());
            results.add(lock(shm, quick ? 2_000 : 50_000, quick ? 20_000 : 200_000, new Result("procsync", LOCK)));
            results.add(queue(shm, quick ? 20_000 : 500_000, new Result("procsync", QUEUE)));
        }
        RedisServer server;
        try {
            server = RedisServer.start();
        } catch (AssertionError | RuntimeException e) {
            String reason = "skipped: redis-server not found or not startable (" + e.getMessage() + ")";
            results.add(new Result("procsync", LOCK).put("variant", REDIS).put("skipped", reason));
            results.add(new Result("procsync", QUEUE).put("variant", REDIS).put("skipped", reason));
            return results;
        }
        try (RedisReactiveProcsync redis = RedisReactiveProcsync.connect(server.url(), "bench",
                Duration.ofSeconds(30))) {
            results.add(lock(redis, quick ? 200 : 2_000, quick ? 1_000 : 10_000,
                    new Result("procsync", LOCK).put("variant", REDIS)));
            results.add(queue(redis, quick ? 2_000 : 20_000, new Result("procsync", QUEUE).put("variant", REDIS)));
        } finally {
            server.close();
        }
        return results;
    }

    /** Acquire then release, each awaited, uncontended: the latency a request pays for one critical section. */
    private static Result lock(ReactiveProcsync rx, int warmup, int measured, Result result) {
        try (ReactiveLock lock = rx.lock("roundtrip")) {
            Latencies latencies = new Latencies(measured);
            for (int i = 0; i < warmup + measured; i++) {
                long start = System.nanoTime();
                Permit permit = lock.acquire().block(WAIT);
                if (permit == null) {
                    throw new IllegalStateException("no permit from " + lock);
                }
                permit.release().block(WAIT);
                if (i >= warmup) {
                    latencies.record(System.nanoTime() - start);
                }
            }
            return latencies.into(result);
        }
    }

    /** One sender, one receiver, 64-byte messages; the first fifth is warm-up, outside the window. */
    private static Result queue(ReactiveProcsync rx, int messages, Result result) {
        byte[] payload = new byte[64];
        int warmup = messages / 5;
        try (ReactiveQueue<byte[]> in = rx.queue("q64", Codecs.bytes(), QueueBound.messages(4096));
                ReactiveQueue<byte[]> out = rx.queue("q64", Codecs.bytes(), QueueBound.messages(4096))) {
            Mono<Void> sent = in.send(Flux.range(0, warmup + messages).map(i -> payload))
                    .subscribeOn(Schedulers.boundedElastic());
            long[] window = new long[1];
            Mono<Long> received = out.receive().take(warmup + messages).index()
                    .doOnNext(t -> {
                        if (t.getT1() == warmup) {
                            window[0] = System.nanoTime();
                        }
                    }).count();
            Long count = Mono.zip(sent.thenReturn(0L), received).map(t -> t.getT2()).block(WAIT);
            double seconds = (System.nanoTime() - window[0]) / 1e9;
            return result.put("msgs_per_s", messages / seconds).put("n", count);
        }
    }

    @Override
    public void peer(Path root, String[] args) {
        throw new UnsupportedOperationException(name() + " runs in the harness JVM alone");
    }
}
