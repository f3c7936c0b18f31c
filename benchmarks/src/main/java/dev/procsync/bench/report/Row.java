package dev.procsync.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** All runs of one implementation on one workload: per metric, the values of every run. */
final class Row {
    final String workload;
    final String impl;
    final Map<String, List<Double>> metrics = new LinkedHashMap<>();
    /** Why this implementation was not measured in some run (e.g. no redis-server), or null. */
    @Nullable String skipped;

    Row(String workload, String impl) {
        this.workload = workload;
        this.impl = impl;
    }

    void add(String metric, double value) {
        metrics.computeIfAbsent(metric, k -> new ArrayList<>()).add(value);
    }

    double median(String metric) {
        List<Double> values = new ArrayList<>(metrics.getOrDefault(metric, List.of()));
        if (values.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(values);
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    double min(String metric) {
        return metrics.getOrDefault(metric, List.of()).stream().mapToDouble(Double::doubleValue).min()
                .orElse(Double.NaN);
    }

    double max(String metric) {
        return metrics.getOrDefault(metric, List.of()).stream().mapToDouble(Double::doubleValue).max()
                .orElse(Double.NaN);
    }

    int runs(String metric) {
        return metrics.getOrDefault(metric, List.of()).size();
    }
}
