package dev.procsync.bench.harness;

import org.HdrHistogram.Histogram;

/** Round-trip samples in nanoseconds and their percentiles (an HdrHistogram, 3 significant digits). */
public final class Latencies {
    private final Histogram histogram = new Histogram(3);
    private final int capacity;

    /** @param capacity most samples recorded; later ones are ignored, as before the histogram */
    public Latencies(int capacity) {
        this.capacity = capacity;
    }

    public void record(long nanos) {
        if (histogram.getTotalCount() < capacity) {
            histogram.recordValue(Math.max(0, nanos));
        }
    }

    public int count() {
        return (int) histogram.getTotalCount();
    }

    /** Adds p50/p99/p99.9 (ns) and the sample count to a result. */
    public Result into(Result result) {
        return result.put("p50_ns", histogram.getValueAtPercentile(50)).put("p99_ns",
                histogram.getValueAtPercentile(99)).put("p999_ns", histogram.getValueAtPercentile(99.9))
                .put("n", count());
    }
}
