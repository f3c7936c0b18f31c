package dev.procsync.bench.harness;

import java.util.Arrays;

/** Round-trip samples in nanoseconds and their percentiles. */
public final class Latencies {
    private final long[] samples;
    private int count;

    public Latencies(int capacity) {
        this.samples = new long[capacity];
    }

    public void record(long nanos) {
        if (count < samples.length) {
            samples[count++] = nanos;
        }
    }

    public int count() {
        return count;
    }

    /** Adds p50/p99/p99.9 (ns) and the sample count to a result. */
    public Result into(Result result) {
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return result.put("p50_ns", percentile(sorted, 0.50)).put("p99_ns", percentile(sorted, 0.99))
                .put("p999_ns", percentile(sorted, 0.999)).put("n", count);
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
