package dev.procsync.bench.jmh;

import dev.procsync.bench.harness.Result;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the in-process JMH benchmarks and writes their scores as JSON lines in the harness format.
 *
 * <p>Naming convention: each benchmark class has a {@code public static final String WORKLOAD};
 * a method is named {@code impl} or {@code impl_variant}; the result's workload is
 * {@code WORKLOAD[-variant]} and its impl {@code procsync}, {@code agrona-<ring>} for a method
 * named {@code Agrona<ring>}, or {@code jdk-<impl>}. A method named
 * {@code part_name} measures a part of procsync's own path: workload {@code WORKLOAD}, impl
 * {@code procsync (part: name)}, in the same table as the whole. A method named
 * {@code procsyncMode_variant} measures procsync in another mode, next to the default in the same
 * table: impl {@code procsync (mode)} ({@code procsyncUndo_semaphore}: {@code procsync (undo)}).
 * {@code JmhRunner [--quick] [--out FILE] [regex]}.
 */
public final class JmhRunner {
    private JmhRunner() {
    }

    /** {@code procsyncUndo} -> {@code undo}. */
    private static String mode(String impl) {
        return impl.substring("procsync".length()).toLowerCase(java.util.Locale.ROOT);
    }

    public static void main(String[] args) throws RunnerException, IOException, ReflectiveOperationException {
        boolean quick = false;
        Path out = Path.of("benchmarks/target/results/jmh.jsonl");
        String include = "dev\\.procsync\\.bench\\.jmh\\..*";
        for (int i = 0; i < args.length; i++) {
            if ("--quick".equals(args[i])) {
                quick = true;
            } else if ("--out".equals(args[i])) {
                out = Path.of(args[++i]);
            } else {
                include = args[i];
            }
        }
        ChainedOptionsBuilder options = new OptionsBuilder().include(include).forks(1)
                .timeUnit(TimeUnit.NANOSECONDS);
        if (quick) {
            options.warmupIterations(1).warmupTime(TimeValue.milliseconds(200)).measurementIterations(2)
                    .measurementTime(TimeValue.milliseconds(200));
        } else {
            options.warmupIterations(3).warmupTime(TimeValue.seconds(1)).measurementIterations(5)
                    .measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            for (RunResult run : results) {
                String benchmark = run.getParams().getBenchmark();
                int dot = benchmark.lastIndexOf('.');
                Class<?> type = Class.forName(benchmark.substring(0, dot));
                String method = benchmark.substring(dot + 1);
                String base = (String) type.getField("WORKLOAD").get(null);
                int underscore = method.indexOf('_');
                String impl = underscore < 0 ? method : method.substring(0, underscore);
                // "uncontended" + variant names the workload by its variant alone (e.g. uncontended-rlock).
                boolean part = "part".equals(impl);
                String workload = underscore < 0 || part ? base : base + "-" + method.substring(underscore + 1);
                // One line per measurement iteration so the report shows the spread.
                run.getBenchmarkResults().forEach(br -> br.getIterationResults().forEach(ir -> {
                    String name = part ? "procsync (part: " + method.substring(underscore + 1) + ")"
                            : "procsync".equals(impl) ? "procsync"
                            : impl.startsWith("Agrona") ? "agrona-" + impl.substring(6)
                            : impl.startsWith("procsync") ? "procsync (" + mode(impl) + ")"
                            : "jdk-" + impl;
                    Result r = new Result(name, workload)
                            .put("ns_per_op", ir.getPrimaryResult().getScore());
                    w.println(r.toJson());
                    System.out.println(r.toJson());
                }));
            }
        }
    }
}
