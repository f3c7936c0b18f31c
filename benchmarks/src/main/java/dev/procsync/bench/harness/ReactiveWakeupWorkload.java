package dev.procsync.bench.harness;

import dev.procsync.Namespace;
import dev.procsync.bench.BenchNamespace;
import dev.procsync.reactive.ReactiveEvent;
import dev.procsync.reactive.shm.ShmReactiveProcsync;
import dev.procsync.sync.Event;
import java.nio.file.Path;
import java.util.List;

/**
 * The reactive path's wake-up latency against the blocking path's, in one run: the same Event
 * ping-pong as {@code pingpong-event}, but the coordinator waits for the pong through
 * {@link ReactiveEvent#await()} (the poller thread bridges the futex wake-up to a Reactor
 * scheduler) instead of blocking in {@link Event#await()}. The peer is the blocking one in both.
 */
final class ReactiveWakeupWorkload implements Workload {
    @Override
    public String name() {
        return "pingpong-event-reactive";
    }

    @Override
    public List<Result> run(Path root, boolean quick) throws Exception {
        int warmup = quick ? 300 : 5_000;
        int measured = quick ? 1_000 : 20_000;
        try (Namespace ns = BenchNamespace.open(root, "bench"); Event ping = ns.event("ping");
                Event pong = ns.event("pong"); Peers peers = new Peers()) {
            ReactiveEvent reactivePong = ShmReactiveProcsync.of(ns).event("pong");
            peers.start(this, root, Integer.toString(warmup + measured));
            Latencies latencies = new Latencies(measured);
            for (int i = 0; i < warmup + measured; i++) {
                long start = System.nanoTime();
                ping.set();
                reactivePong.await().block();
                pong.clear();
                if (i >= warmup) {
                    latencies.record(System.nanoTime() - start);
                }
            }
            peers.joinAll();
            reactivePong.close();
            return List.of(latencies.into(new Result("procsync", name())));
        }
    }

    @Override
    public void peer(Path root, String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        try (Namespace ns = BenchNamespace.open(root, "bench"); Event ping = ns.event("ping");
                Event pong = ns.event("pong")) {
            for (int i = 0; i < rounds; i++) {
                ping.await();
                ping.clear();
                pong.set();
            }
        }
    }
}
