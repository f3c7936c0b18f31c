package dev.procsync.bench.harness;

import dev.procsync.Namespace;
import dev.procsync.bench.BenchNamespace;
import dev.procsync.reactive.ReactiveEvent;
import dev.procsync.reactive.shm.ShmReactiveProcsync;
import java.nio.file.Path;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The Event ping-pong of {@code pingpong-event} with <em>both</em> sides reactive: each process
 * runs its rounds as one Reactor chain ({@code set} ping, {@code await} pong, {@code clear} pong,
 * repeated), so every wake-up goes through that process's poller and no thread blocks in
 * {@code block()} per round. Two variants: completions on the default scheduler
 * ({@code Schedulers.parallel()}: poller, then a hop to a parallel thread) and
 * {@link ShmReactiveProcsync#completeOnPoller()} (the chain continues on the poller thread).
 * Compared with the blocking {@code pingpong-event} of the same run.
 */
final class ReactivePingPongWorkload implements Workload {
    private final boolean inline;

    ReactivePingPongWorkload(boolean inline) {
        this.inline = inline;
    }

    @Override
    public String name() {
        return inline ? "pingpong-event-reactive-inline" : "pingpong-event-reactive-both";
    }

    private ShmReactiveProcsync reactive(Namespace ns) {
        return inline ? ShmReactiveProcsync.of(ns, ShmReactiveProcsync.completeOnPoller()) : ShmReactiveProcsync.of(ns);
    }

    @Override
    public List<Result> run(Path root, boolean quick) throws Exception {
        int warmup = quick ? 500 : 10_000;
        int measured = quick ? 2_000 : 50_000;
        try (Namespace ns = BenchNamespace.open(root, "bench"); Peers peers = new Peers()) {
            ShmReactiveProcsync rx = reactive(ns);
            try (ReactiveEvent ping = rx.event("ping"); ReactiveEvent pong = rx.event("pong")) {
                peers.start(this, root, Integer.toString(warmup + measured));
                Latencies latencies = new Latencies(measured);
                long[] clock = new long[2]; // [round, start]: one chain, one round at a time
                Mono<Void> round = Mono.defer(() -> {
                    clock[1] = System.nanoTime();
                    return ping.set().then(pong.await()).then(pong.clear());
                }).doOnSuccess(v -> {
                    if (clock[0]++ >= warmup) {
                        latencies.record(System.nanoTime() - clock[1]);
                    }
                });
                round.repeat(warmup + measured - 1L).then().block();
                peers.joinAll();
                Result r = latencies.into(new Result("procsync", name()));
                r.put("completion", inline ? "on the poller" : "Schedulers.parallel()");
                return List.of(r);
            }
        }
    }

    @Override
    public void peer(Path root, String[] args) throws Exception {
        long rounds = Long.parseLong(args[0]);
        try (Namespace ns = BenchNamespace.open(root, "bench")) {
            ShmReactiveProcsync rx = reactive(ns);
            try (ReactiveEvent ping = rx.event("ping"); ReactiveEvent pong = rx.event("pong")) {
                ping.await().then(ping.clear()).then(pong.set()).repeat(rounds - 1).then().block();
            }
        }
    }
}
