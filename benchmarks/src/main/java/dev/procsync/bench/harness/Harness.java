package dev.procsync.bench.harness;

import dev.procsync.bench.BenchNamespace;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the cross-process workloads, each several times, and appends one JSON line per result
 * to the output file: {@code Harness [--quick] [--repeats N] [--out FILE] [workload...]}.
 */
public final class Harness {
    private Harness() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        int repeats = 3;
        Path out = Path.of("benchmarks/target/results/procsync.jsonl");
        List<String> only = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick":
                    quick = true;
                    repeats = 1;
                    break;
                case "--repeats":
                    repeats = Integer.parseInt(args[++i]);
                    break;
                case "--out":
                    out = Path.of(args[++i]);
                    break;
                default:
                    only.add(args[i]);
            }
        }
        List<Result> results = run(only, quick, repeats);
        write(out, results);
    }

    /** Runs the named workloads (all if none named) and returns their results, each tagged with its run. */
    public static List<Result> run(List<String> only, boolean quick, int repeats) throws Exception {
        List<Result> results = new ArrayList<>();
        for (Workload workload : Workloads.all()) {
            if (!only.isEmpty() && !only.contains(workload.name())) {
                continue;
            }
            for (int run = 0; run < repeats; run++) {
                try (BenchNamespace bench = BenchNamespace.create("bench")) {
                    for (Result r : workload.run(bench.root(), quick)) {
                        r.put("run", run);
                        System.out.println(r.toJson());
                        results.add(r);
                    }
                }
            }
        }
        return results;
    }

    static void write(Path out, List<Result> results) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            results.forEach(r -> w.println(r.toJson()));
        }
    }
}
