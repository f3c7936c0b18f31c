package dev.procsync.bench.harness;

import dev.procsync.layout.HeaderLayout;
import dev.procsync.Namespace;
import dev.procsync.bench.BenchNamespace;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import dev.procsync.sync.Lock;
import java.nio.file.Path;
import java.util.List;

/**
 * Two processes incrementing one shared counter under a procsync Lock (a plain read-modify-write:
 * only the lock makes it exact). Reports increments per second and checks the final count.
 */
public final class CounterLockWorkload implements Workload {
    private static final int COUNTER = HeaderLayout.LENGTH;

    @Override
    public String name() {
        return "counter-lock";
    }

    private static Segment counter(Namespace ns) {
        return ns.createOrOpen("counter", SegmentSpec.of(SegmentKind.VALUE, 8), s -> { });
    }

    @Override
    public List<Result> run(Path root, boolean quick) throws Exception {
        int perPeer = quick ? 200_000 : 5_000_000;
        try (Namespace ns = BenchNamespace.open(root, "bench"); StartGate gate = StartGate.open(ns);
                Segment counter = counter(ns); Peers peers = new Peers()) {
            ns.lock("lock").close();
            for (int i = 0; i < 2; i++) {
                peers.start(this, root, Integer.toString(i), Integer.toString(perPeer));
            }
            gate.open(2);
            peers.joinAll();
            long total = counter.getLongAcquire(COUNTER);
            if (total != 2L * perPeer) {
                throw new IllegalStateException("lost updates under the lock: " + total + " != " + 2L * perPeer);
            }
            double seconds = gate.span(2) / 1e9;
            return List.of(new Result("procsync", name()).put("increments_per_s", total / seconds)
                    .put("total", total).put("exact", true));
        }
    }

    @Override
    public void peer(Path root, String[] args) throws Exception {
        int id = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        try (Namespace ns = BenchNamespace.open(root, "bench"); StartGate gate = StartGate.open(ns);
                Segment counter = counter(ns); Lock lock = ns.lock("lock")) {
            gate.arriveAndAwait(id);
            for (int i = 0; i < n; i++) {
                lock.acquire();
                counter.setLong(COUNTER, counter.getLong(COUNTER) + 1);
                lock.release();
            }
            gate.finish(id);
        }
    }
}
