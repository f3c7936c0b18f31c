package dev.procsync.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Turns the JSON lines of one benchmark run (procsync's JMH and harness results, the Python and C
 * peers) into docs/PERFORMANCE.md: per workload a table of medians with min–max spread over the
 * repeated runs and the ratio of every peer to procsync, measured in the same run.
 * {@code Report <results-dir> <markdown-out> <png-out> [--quick]}.
 */
public final class Report {
    /** The metric a workload is judged by, and whether lower is better. */
    static final Map<String, String> PRIMARY = new LinkedHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The Agrona version the peers ran (from the jar's manifest), for the notes. */
    private static final String AGRONA = String.valueOf(org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer.class
            .getPackage().getImplementationVersion());
    /** procsync's own rows first (its default row, then its variants), then the peers by name. */
    private static final Comparator<String> IMPL_ORDER =
            Comparator.comparing((String impl) -> !impl.startsWith("procsync")).thenComparing(impl -> impl);
    /** Metrics shown in the tables; everything else a peer prints stays in the raw JSON lines. */
    static final List<String> SHOWN = List.of("ns_per_op", "p50_ns", "p99_ns", "p999_ns", "increments_per_s",
            "msgs_per_s", "gb_per_s", "total_s", "fill_s", "read_s", "same_cpu_pct", "threads", "drain_ms",
            "heap_bytes_per_waiter");

    static {
        PRIMARY.put("ns_per_op", "lower");
        PRIMARY.put("p50_ns", "lower");
        PRIMARY.put("increments_per_s", "higher");
        PRIMARY.put("msgs_per_s", "higher");
        PRIMARY.put("gb_per_s", "higher");
        PRIMARY.put("total_s", "lower");
        PRIMARY.put("drain_ms", "lower");
    }

    /** How to read the figures; the same in every report, so it lives here rather than by hand in the file. */
    static final String NOTES = String.join("\n",
            "## Reading these figures",
            "",
            "- **procsync** rows come from `benchmarks/src/main/java` (JMH for one-process paths, the harness",
            "  for cross-process ones, which starts its own peer JVMs); **python-mp** from",
            "  `benchmarks/python/mp_bench.py`; **c-floor** from `benchmarks/native/floor.c`; **jdk-*** are the",
            "  in-process references measured by JMH in the same fork.",
            "- Round trips are the coordinator's view of ping and pong through one primitive, peer waiting",
            "  (it spins briefly, then sleeps on the futex). A median of ~100-200 ns means the peer caught the",
            "  ping while spinning; the p99 of ~80 µs is the futex path (a sleeping vCPU's wake-up on this VM),",
            "  which is also what Python pays on every round trip.",
            "- The C floor is a reference, not a bound: its spinning ping-pong checks a clock and pauses each",
            "  round, and its SPSC ring varies several-fold between runs with CPU placement (`same_cpu_pct`",
            "  near 100 means both processes shared one CPU and the figure is not the cross-core floor).",
            "- `pingpong-event-reactive` is the reactive path: the pong wakes the poller thread, which hands",
            "  completion to `Schedulers.parallel()`, which completes a `block()` on the coordinator: two extra",
            "  thread hand-offs against the blocking `pingpong-event`.",
            "- `pingpong-event-reactive-both` and `-inline` have both processes reactive: each runs its rounds",
            "  as one Reactor chain (`set`, `await`, `clear`, repeated), so every wake-up goes through that",
            "  process's poller; `-inline` completes on the poller thread (`completeOnPoller()`), the other on",
            "  `Schedulers.parallel()`. The table \"Reactive against blocking\" divides them by `pingpong-event`.",
            "- `queue-1to1-64` row `reactive receive()`: the blocking producer of the baseline row, the consumer",
            "  one `ReactiveQueue.receive()` with unbounded demand (batches of up to 256 per take).",
            "- `reactive-10k-waiters.threads` counts every thread named `procsync*` in the harness JVM: the",
            "  poller and the harness's own output drainer of the holder child.",
            "- `vthread-10k-lock` runs on a JDK with virtual threads (run.sh picks one when its own `java` is",
            "  older): 10,000 virtual threads each acquire, sleep 1 ms and release, on a procsync Lock that a",
            "  peer JVM keeps taking meanwhile, then on a ReentrantLock in the same run. Parked virtual",
            "  threads wait through the poller (one engine thread for the process), never on a carrier.",
            "- Missed targets are reported as missed; nothing is tuned to the table.",
            "- Queue tables: the `procsync` row is what a user gets without tuning: `QueueCapacity.defaults()`",
            "  (a 1 MiB ring), `put(byte[])`/`get()` with `Codecs.bytes()`, one process each side; the rows",
            "  beside it are the same queue through `putBytes`/`getBytes` (the byte path, no codec, a reused",
            "  direct buffer), and the tuned 4 MiB ring with `putBytes`/`getBytes` or `putAll`/`drainTo` of",
            "  64. The producer reuses one array (put copies it; the codec keeps nothing), so the codec path",
            "  costs what `get()` must allocate for the message it returns. Producers warm up (two fifths of",
            "  their share) before the window opens, as JMH would, in every row and peer alike.",
            "- Agrona rows: `ManyToOneRingBuffer` and `OneToOneRingBuffer` (Agrona " + AGRONA + ") over a",
            "  mapped 1 MiB file, one producer JVM and one consumer JVM, measured by the same harness",
            "  (gate, warm-up, order check, window) as the procsync rows. Both sides spin and never sleep,",
            "  and nothing recovers a dead producer: the cost of the data path alone, and the Java peer a",
            "  user would pick for fast IPC. Spinning peers suffer most when the VM's two vCPUs are shared",
            "  with other load; compare them only within one run.",
            "- A producer that has a queue to itself holds the claim lock biased and puts with plain",
            "  ordered stores, no atomic instruction (revoked with membarrier when another producer comes;",
            "  docs/layout/queue.md). Per message the producer's stores and the consumer's reads still move",
            "  the record's line(s) and the `tail` line between the cores; Agrona's consumer reads the",
            "  records' own length words and never a shared tail, and moves its head once per batch.",
            "- `lock-uncontended` parts: the Lock's acquire+release is a CAS of the word to the pid and an",
            "  atomic exchange back to 0 (the exchange returns the SLEEPERS bit: the three-state futex",
            "  mutex, shared with the Python client), plus a release store of the owner's start time",
            "  (what OwnerWatch reads to tell a dead holder from a reused pid). `part: casXchg` is those two",
            "  atomics alone on the same kind of mapping, `casOwnerXchg` adds the owner store, `segment`",
            "  goes through Segment's checked accessors, `segmentThreadRef` / `segmentThreadId` add the",
            "  holder-thread store Condition checks (a reference, as Lock keeps it, or a thread id), and",
            "  `casVolatileStore` is ReentrantLock's own pair (its release is a volatile store, and it finds",
            "  waiters in its queue after that fence). Interleaved A/B rounds under load put the atomics",
            "  and the owner store at ReentrantLock's cost; the rest is the accessors' fault guards and",
            "  closed checks, the owner-died read and the holder-thread store, about 1-2 ns each.",
            "- `uncontended-queuePutGet`: one thread puts and gets 64 bytes: each data path's instructions",
            "  without the cross-core line transfers of the two-process rows (Agrona over a direct buffer).",
            "- The C floor's consumer polls every 64 pauses (polling on every pause it measured the line",
            "  ping-pong, 6 M msg/s on this VM, not a ring).",
            "- `reactive-lock-roundtrip` and `reactive-queue-64` run the same reactive code on both backends",
            "  in one JVM: `procsync` is the shared-memory namespace, `procsync (redis, loopback)` a",
            "  `redis-server` the harness starts on a free port of 127.0.0.1 (Redisson, default settings). The",
            "  lock row is an uncontended `acquire()` then `release()`, each awaited; the queue row is",
            "  `send(Flux)` on one handle and `receive()` on another, 64-byte messages. Without a",
            "  `redis-server` binary the Redis rows say skipped, with the reason.",
            "",
            "## Which backend, when",
            "",
            "Shared memory and Redis differ by orders of magnitude, by construction: a shared-memory lock",
            "hand-over is an atomic instruction on a mapped word (nanoseconds uncontended, microseconds",
            "through the reactive bridge, tens of microseconds when a sleeping process must be woken), while",
            "every Redis operation is at least one network round trip through the server (tens to hundreds",
            "of microseconds on loopback, more across a real network) and a lock acquire and release take",
            "several (the lock, its owner marker, the unlock, the wake-up publish). Queue throughput follows:",
            "millions of messages per second through a shared ring against thousands to tens of thousands",
            "through Redis lists.",
            "",
            "- Pick **shared memory** (`procsync-reactive`) when the processes share one host: it is the",
            "  fast path, it notices a dead process within its liveness sweep, and it also has Pipes.",
            "- Pick **Redis** (`procsync-redis`) when they do not: several hosts, containers without a shared",
            "  `/dev/shm`, or an autoscaled service. Budget a few round trips per operation, and a lease",
            "  (seconds) before a dead client's lock, permits, pending barrier arrival or in-flight queue",
            "  items come back. Pipes stay shared-memory only.",
            "- The code is the same (the reactive interfaces); only the factory differs, so a service can",
            "  start on one host and move to Redis by configuration (samples/webflux).",
            "", "");

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        Path results = Path.of(args[0]);
        Path markdown = Path.of(args[1]);
        Path png = Path.of(args[2]);
        boolean quick = args.length > 3 && "--quick".equals(args[3]);
        Map<String, Map<String, Row>> table = load(results);
        String md = render(table, png.getFileName().toString(), quick, Machine.describe());
        Files.createDirectories(markdown.toAbsolutePath().getParent());
        Files.writeString(markdown, md, StandardCharsets.UTF_8);
        LatencyChart.write(table, png);
        System.out.println("wrote " + markdown + " and " + png);
    }

    /** Reads every *.jsonl file under a directory: workload -> impl -> row. */
    static Map<String, Map<String, Row>> load(Path dir) throws IOException {
        Map<String, Map<String, Row>> table = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".jsonl")).sorted()::iterator) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    ingest(table, line.trim());
                }
            }
        }
        return table;
    }

    static void ingest(Map<String, Map<String, Row>> table, String line) {
        if (!line.startsWith("{")) {
            return;
        }
        JsonNode json;
        try {
            json = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return; // a peer's stray output, not a result
        }
        String impl = text(json, "impl");
        String workload = text(json, "workload");
        if (impl == null || workload == null) {
            return;
        }
        String variant = text(json, "variant");
        if (variant != null) {
            impl = impl + " (" + variant + ")";
        }
        JsonNode size = json.get("size");
        if (size != null && size.isNumber() && !workload.contains("-" + size.asLong())) {
            workload = workload + "-" + size.asLong();
        }
        String name = workload;
        String key = impl;
        Row row = table.computeIfAbsent(name, k -> new TreeMap<>(IMPL_ORDER))
                .computeIfAbsent(key, k -> new Row(name, key));
        String skipped = text(json, "skipped");
        if (skipped != null) {
            row.skipped = skipped;
        }
        for (Map.Entry<String, JsonNode> e : json.properties()) {
            if (SHOWN.contains(e.getKey()) && e.getValue().isNumber()) {
                row.add(e.getKey(), e.getValue().asDouble());
            }
        }
    }

    private static @Nullable String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    static String primaryMetric(Map<String, Row> rows) {
        for (String metric : PRIMARY.keySet()) {
            for (Row row : rows.values()) {
                if (row.metrics.containsKey(metric)) {
                    return metric;
                }
            }
        }
        return rows.values().stream().flatMap(r -> r.metrics.keySet().stream()).findFirst().orElse("skipped");
    }

    static String render(Map<String, Map<String, Row>> table, String png, boolean quick, String machine) {
        StringBuilder b = new StringBuilder();
        b.append("# procsync performance\n\n");
        b.append("Generated by `benchmarks/run.sh").append(quick ? " --quick" : "").append("`; every figure below was ")
                .append("measured in the same run on the same machine, so compare ratios, not absolute numbers.\n");
        b.append("Each cell is the median over the repeated runs, with [min–max] when there was more than one run. ")
                .append("Ratios compare each implementation to procsync on the workload's primary metric ")
                .append("(× > 1 means procsync is better).\n\n");
        if (quick) {
            b.append("> **Quick mode**: one short run per workload, a smoke check, not a measurement.\n\n");
        }
        b.append("## Machine\n\n").append(machine).append("\n\n");
        b.append(summary(table));
        b.append(reactiveSummary(table));
        b.append(NOTES);
        b.append("![round-trip latency](").append(png).append(")\n\n");
        for (Map.Entry<String, Map<String, Row>> e : table.entrySet()) {
            Map<String, Row> rows = e.getValue();
            String primary = primaryMetric(rows);
            boolean lowerBetter = "lower".equals(PRIMARY.getOrDefault(primary, "higher"));
            List<String> metrics = new ArrayList<>();
            rows.values().forEach(r -> r.metrics.keySet().stream().filter(k -> !metrics.contains(k))
                    .forEach(metrics::add));
            b.append("## ").append(e.getKey()).append("\n\n");
            b.append("| impl | ").append(String.join(" | ", metrics)).append(" | procsync advantage (")
                    .append(primary).append(") |\n");
            b.append("|---|").append("---|".repeat(metrics.size())).append("---|\n");
            Row ours = rows.get("procsync");
            for (Row row : rows.values()) {
                b.append("| ").append(row.impl).append(" | ");
                if (row.metrics.isEmpty() && row.skipped != null) {
                    b.append(row.skipped).append(" | ").append(" | ".repeat(Math.max(0, metrics.size() - 1)))
                            .append("– |\n");
                    continue;
                }
                for (String metric : metrics) {
                    b.append(cell(row, metric)).append(" | ");
                }
                if (ours == null || !ours.metrics.containsKey(primary) || !row.metrics.containsKey(primary)) {
                    b.append("– |\n");
                } else {
                    double ratio = lowerBetter ? row.median(primary) / ours.median(primary)
                            : ours.median(primary) / row.median(primary);
                    b.append(row == ours ? "1 (baseline)" : fmt(ratio) + "×").append(" |\n");
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static double median(Map<String, Map<String, Row>> table, String workload, String impl, String metric) {
        Row row = table.getOrDefault(workload, Map.of()).get(impl);
        return row == null ? Double.NaN : row.median(metric);
    }

    /** The median of a row with its [min–max] over the runs, as the tables show it. */
    private static String spread(Map<String, Map<String, Row>> table, String workload, String impl, String metric) {
        Row row = table.getOrDefault(workload, Map.of()).get(impl);
        return row == null ? "–" : cell(row, metric);
    }

    /** The procsync rows of the 64-byte and 4 KiB queue tables (see QueueThroughputWorkload.Mode). */
    static final String TUNED = "procsync (4 MiB, putBytes/getBytes)";
    static final String BATCHED = "procsync (4 MiB, putAll/drainTo)";
    static final String DEFAULT_BYTES = "procsync (default, putBytes/getBytes)";
    static final String AGRONA_M2O = "agrona (ManyToOneRingBuffer, 1 MiB)";
    static final String AGRONA_O2O = "agrona (OneToOneRingBuffer, 1 MiB)";

    /**
     * The targets, each judged on the median of this run's repeated measurements (the
     * procsync cell shows the median and its [min–max] spread). One {@code target(...)} call per
     * row: a new row names its workload, its peers and its judgement here.
     */
    static String summary(Map<String, Map<String, Row>> table) {
        StringBuilder b = new StringBuilder("## Targets\n\n");
        b.append("Judged on medians; procsync's [min–max] over the runs follows its median.\n\n");
        b.append("| workload | Python mp | floor / peers | procsync | target | met? |\n|---|---|---|---|---|---|\n");
        double ours = median(table, "lock-uncontended", "procsync", "ns_per_op");
        double reentrant = median(table, "lock-uncontended", "jdk-ReentrantLock", "ns_per_op");
        target(b, "uncontended lock pair (ns)", median(table, "lock-uncontended", "python-mp", "ns_per_op"),
                "C " + fmt(median(table, "lock-uncontended", "c-floor", "ns_per_op")) + ", ReentrantLock "
                + fmt(reentrant), spread(table, "lock-uncontended", "procsync", "ns_per_op"), ours,
                "≤ 2× ReentrantLock (" + fmt(2 * reentrant) + ")", ours <= 2 * reentrant);
        double counter = median(table, "counter-lock", "procsync", "increments_per_s");
        target(b, "2-process counter under lock (/s)", median(table, "counter-lock", "python-mp", "increments_per_s"),
                fmt(median(table, "counter-lock", "c-floor", "increments_per_s")),
                spread(table, "counter-lock", "procsync", "increments_per_s"), counter, "≥ 20 M/s", counter >= 20e6);
        for (String primitive : List.of("semaphore", "event")) {
            double p50 = median(table, "pingpong-" + primitive, "procsync", "p50_ns");
            target(b, "wake-up round trip p50, " + primitive + " (ns)",
                    median(table, "pingpong-" + primitive, "python-mp", "p50_ns"),
                    "hybrid " + fmt(median(table, "pingpong-hybrid", "c-floor", "p50_ns")) + ", futex "
                    + fmt(median(table, "pingpong-futex", "c-floor", "p50_ns")),
                    spread(table, "pingpong-" + primitive, "procsync", "p50_ns"), p50, "≤ 1 µs", p50 <= 1000);
        }
        double conditionP50 = median(table, "pingpong-condition", "procsync", "p50_ns");
        target(b, "wake-up round trip p50, condition (ns)",
                median(table, "pingpong-condition", "python-mp", "p50_ns"),
                "hybrid " + fmt(median(table, "pingpong-hybrid", "c-floor", "p50_ns")) + ", futex "
                + fmt(median(table, "pingpong-futex", "c-floor", "p50_ns")),
                spread(table, "pingpong-condition", "procsync", "p50_ns"), conditionP50, "≤ 2 µs",
                conditionP50 <= 2000);
        String q = "queue-1to1-64";
        double python = median(table, q, "python-mp", "msgs_per_s");
        double m2o = median(table, q, AGRONA_M2O, "msgs_per_s");
        String peers = "Agrona M2O " + fmt(m2o) + ", O2O " + fmt(median(table, q, AGRONA_O2O, "msgs_per_s"))
                + ", C " + fmt(median(table, "spsc-64", "c-floor", "msgs_per_s"));
        double q64 = median(table, q, "procsync", "msgs_per_s");
        target(b, "Queue 1→1, 64 B, default capacity, `put(byte[])`/`get()` (msg/s)", python, peers,
                spread(table, q, "procsync", "msgs_per_s"), q64, "≥ Agrona ManyToOneRingBuffer (" + fmt(m2o) + ")",
                q64 >= m2o);
        double bytes = median(table, q, DEFAULT_BYTES, "msgs_per_s");
        target(b, "Queue 1→1, 64 B, default capacity, `putBytes`/`getBytes` (msg/s)", python, peers,
                spread(table, q, DEFAULT_BYTES, "msgs_per_s"), bytes, "codec path ≥ 80 % of it ("
                + fmt(q64 / bytes * 100) + " %)", q64 >= 0.8 * bytes);
        double tuned = median(table, q, TUNED, "msgs_per_s");
        target(b, "Queue 1→1, 64 B, tuned: 4 MiB, `putBytes`/`getBytes` (msg/s)", python, peers,
                spread(table, q, TUNED, "msgs_per_s"), tuned, "≥ 10 M msg/s", tuned >= 10e6);
        double batched = median(table, q, BATCHED, "msgs_per_s");
        target(b, "Queue 1→1, 64 B, tuned: 4 MiB, `putAll`/`drainTo` batches (msg/s)", python, peers,
                spread(table, q, BATCHED, "msgs_per_s"), batched, "≥ 10 M msg/s", batched >= 10e6);
        double q4k = median(table, "queue-1to1-4096", "procsync", "gb_per_s");
        target(b, "Queue 1→1, 4 KiB, default capacity, `put(byte[])`/`get()` (GB/s)",
                median(table, "queue-1to1-4096", "python-mp", "gb_per_s"),
                "C " + fmt(median(table, "spsc-4096", "c-floor", "gb_per_s")),
                spread(table, "queue-1to1-4096", "procsync", "gb_per_s"), q4k, "≥ 3 GB/s", q4k >= 3);
        double vthreads = median(table, "vthread-10k-lock", "procsync", "total_s");
        double vthreadsReference = median(table, "vthread-10k-lock", "jdk-ReentrantLock", "total_s");
        target(b, "10,000 virtual threads × (acquire, 1 ms sleep, release), peer process on the lock (s)", Double.NaN,
                "ReentrantLock " + fmt(vthreadsReference), spread(table, "vthread-10k-lock", "procsync", "total_s"),
                vthreads, "≤ 2× ReentrantLock (" + fmt(2 * vthreadsReference) + ")", vthreads <= 2 * vthreadsReference);
        return b.append('\n').toString();
    }

    /**
     * The reactive face against the blocking one, as ratios of figures from the same run (issue
     * 12's targets): Event ping-pong with both sides reactive, and {@code receive()} throughput.
     */
    static String reactiveSummary(Map<String, Map<String, Row>> table) {
        StringBuilder b = new StringBuilder("## Reactive against blocking\n\n");
        b.append("Ratios of medians from the same run; the reactive cell shows its [min–max] over the runs.\n\n");
        b.append("| workload | blocking | reactive | ratio | target | met? |\n|---|---|---|---|---|---|\n");
        double blocking = median(table, "pingpong-event", "procsync", "p50_ns");
        for (String[] row : new String[][] {
                {"pingpong-event-reactive-both", "Event ping-pong p50, both sides reactive, default scheduler (ns)",
                    "2"},
                {"pingpong-event-reactive-inline", "Event ping-pong p50, both sides reactive, completeOnPoller (ns)",
                    "1.5"}}) {
            double reactive = median(table, row[0], "procsync", "p50_ns");
            double limit = Double.parseDouble(row[2]);
            double ratio = reactive / blocking;
            reactiveTarget(b, row[1], fmt(blocking), spread(table, row[0], "procsync", "p50_ns"), ratio,
                    "≤ " + row[2] + "× blocking", ratio <= limit);
        }
        double get = median(table, "queue-1to1-64", "procsync", "msgs_per_s");
        String receiveImpl = "procsync (default, reactive receive())";
        double receive = median(table, "queue-1to1-64", receiveImpl, "msgs_per_s");
        double share = receive / get;
        reactiveTarget(b, "Queue 1→1, 64 B, default capacity: `receive()` against `get()` (msg/s)", fmt(get),
                spread(table, "queue-1to1-64", receiveImpl, "msgs_per_s"), share, "≥ 0.5× blocking",
                share >= 0.5);
        return b.append('\n').toString();
    }

    private static void reactiveTarget(StringBuilder b, String what, String blocking, String reactiveCell,
            double ratio, String target, boolean met) {
        b.append("| ").append(what).append(" | ").append(blocking).append(" | ").append(reactiveCell).append(" | ")
                .append(Double.isNaN(ratio) ? "–" : fmt(ratio) + "×").append(" | ").append(target).append(" | ")
                .append(Double.isNaN(ratio) ? "not measured" : met ? "yes" : "**no**").append(" |\n");
    }

    private static void target(StringBuilder b, String what, double python, String floor, String oursCell, double ours,
            String target, boolean met) {
        b.append("| ").append(what).append(" | ").append(fmt(python)).append(" | ").append(floor).append(" | ")
                .append(oursCell).append(" | ").append(target).append(" | ")
                .append(Double.isNaN(ours) ? "not measured" : met ? "yes" : "**no**").append(" |\n");
    }

    private static String cell(Row row, String metric) {
        if (!row.metrics.containsKey(metric)) {
            return "";
        }
        String median = fmt(row.median(metric));
        return row.runs(metric) > 1 ? median + " [" + fmt(row.min(metric)) + "–" + fmt(row.max(metric)) + "]" : median;
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a >= 1e9) {
            return String.format(Locale.ROOT, "%.2f G", v / 1e9);
        }
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", v / 1e6);
        }
        if (a >= 1e4) {
            return String.format(Locale.ROOT, "%.1f k", v / 1e3);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
