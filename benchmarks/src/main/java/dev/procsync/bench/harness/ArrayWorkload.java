package dev.procsync.bench.harness;

import dev.procsync.Namespace;
import dev.procsync.bench.BenchNamespace;
import dev.procsync.data.SharedDoubleArray;
import dev.procsync.data.SharedLong;
import dev.procsync.sync.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A 1M-double SharedDoubleArray filled (bulk copy from a double[]) in a peer process and read
 * back (bulk copy into a double[]) here, every element verified. Reports fill and read seconds.
 */
final class ArrayWorkload implements Workload {
    private static final int LENGTH = 1_000_000;

    @Override
    public String name() {
        return "array-1m-double";
    }

    static double value(int i) {
        return i * 0.5;
    }

    @Override
    public List<Result> run(Path root, boolean quick) throws Exception {
        int rounds = quick ? 2 : 10;
        List<Result> results = new ArrayList<>();
        try (Namespace ns = BenchNamespace.open(root, "bench"); SharedDoubleArray array = ns.doubleArray("a", LENGTH);
                Event filled = ns.event("filled"); Event again = ns.event("again");
                SharedLong fill = ns.sharedLong("fill"); Peers peers = new Peers()) {
            peers.start(this, root, Integer.toString(rounds));
            double[] out = new double[LENGTH];
            for (int round = 0; round < rounds; round++) {
                filled.await();
                filled.clear();
                long start = System.nanoTime();
                array.copyTo(0, out, 0, LENGTH);
                long read = System.nanoTime() - start;
                for (int i = 0; i < LENGTH; i++) {
                    if (out[i] != value(i) + round) {
                        throw new IllegalStateException("element " + i + " is " + out[i] + " in round " + round);
                    }
                }
                long fillNanos = fill.get();
                results.add(new Result("procsync", name()).put("fill_s", fillNanos / 1e9).put("read_s", read / 1e9)
                        .put("total_s", (fillNanos + read) / 1e9));
                again.set();
            }
            peers.joinAll();
        }
        return results;
    }

    @Override
    public void peer(Path root, String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        double[] in = new double[LENGTH];
        try (Namespace ns = BenchNamespace.open(root, "bench"); SharedDoubleArray array = ns.doubleArray("a", LENGTH);
                Event filled = ns.event("filled"); Event again = ns.event("again");
                SharedLong fill = ns.sharedLong("fill")) {
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < LENGTH; i++) {
                    in[i] = value(i) + round;
                }
                long start = System.nanoTime();
                array.copyFrom(in, 0, 0, LENGTH);
                fill.set(System.nanoTime() - start);
                filled.set();
                again.await();
                again.clear();
            }
        }
    }
}
