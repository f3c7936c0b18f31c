package dev.procsync.bench.harness;

import dev.procsync.Namespace;
import dev.procsync.bench.BenchNamespace;
import java.nio.file.Path;
import java.util.List;

/**
 * Round-trip latency between two processes through one procsync primitive: the coordinator pings,
 * the peer answers, the coordinator times every round trip. Subclasses supply the two sides.
 */
abstract class PingPongWorkload implements Workload {
    /** One side of the conversation, opened in one process. */
    interface Side extends AutoCloseable {
        /** Coordinator: send a ping and wait for the pong. */
        void roundTrip() throws Exception;

        /** Peer: wait for a ping and answer it. */
        void answer() throws Exception;

        @Override
        void close();
    }

    /** Opens the primitives of this workload (both processes call it; the first creates them). */
    abstract Side open(Namespace ns);

    @Override
    public List<Result> run(Path root, boolean quick) throws Exception {
        int warmup = quick ? 500 : 10_000;
        int measured = quick ? 2_000 : 50_000;
        try (Namespace ns = BenchNamespace.open(root, "bench"); Side side = open(ns); Peers peers = new Peers()) {
            peers.start(this, root, Integer.toString(warmup + measured));
            Latencies latencies = new Latencies(measured);
            for (int i = 0; i < warmup; i++) {
                side.roundTrip();
            }
            for (int i = 0; i < measured; i++) {
                long start = System.nanoTime();
                side.roundTrip();
                latencies.record(System.nanoTime() - start);
            }
            peers.joinAll();
            return List.of(latencies.into(new Result("procsync", name())));
        }
    }

    @Override
    public void peer(Path root, String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        try (Namespace ns = BenchNamespace.open(root, "bench"); Side side = open(ns)) {
            for (int i = 0; i < rounds; i++) {
                side.answer();
            }
        }
    }
}
