package dev.procsync.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.bench.report.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @Test
    void shouldTabulateMediansSpreadAndRatiosAgainstProcsync(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.jsonl"), String.join("\n",
                "{\"impl\":\"procsync\",\"workload\":\"pingpong-event\",\"p50_ns\":1000,\"p99_ns\":3000,\"run\":0}",
                "{\"impl\":\"procsync\",\"workload\":\"pingpong-event\",\"p50_ns\":2000,\"p99_ns\":4000,\"run\":1}",
                "{\"impl\":\"procsync\",\"workload\":\"pingpong-event\",\"p50_ns\":3000,\"p99_ns\":5000,\"run\":2}",
                "{\"impl\":\"python-mp\",\"workload\":\"pingpong-event\",\"p50_ns\":160000,\"p99_ns\":300000}",
                "{\"impl\":\"procsync\",\"workload\":\"queue-1to1\",\"size\":64,\"msgs_per_s\":1.0e7}",
                "{\"impl\":\"python-mp\",\"workload\":\"queue-1to1\",\"size\":64,\"msgs_per_s\":2.0e5}",
                "{\"impl\":\"procsync\",\"workload\":\"queue-1to1-64\",\"variant\":\"default, putBytes/getBytes\","
                        + "\"size\":64,\"msgs_per_s\":1.25e7}",
                "{\"impl\":\"agrona (ManyToOneRingBuffer, 1 MiB)\",\"workload\":\"queue-1to1-64\","
                        + "\"msgs_per_s\":2.0e7}",
                "not json, ignored"));
        Path md = dir.resolve("PERF.md");
        Path png = dir.resolve("lat.png");
        Report.main(new String[] {dir.toString(), md.toString(), png.toString()});
        String text = Files.readString(md);
        assertTrue(text.contains("| procsync | 2000 [1000–3000]"), text);
        assertTrue(text.contains("| python-mp | 160.0 k"), text);
        assertTrue(text.contains("80.00×"), "python p50 160 µs vs procsync median 2 µs: " + text);
        assertTrue(text.contains("## queue-1to1-64") && text.contains("50.00×"), text);
        assertTrue(text.indexOf("| procsync | 10.00 M") < text.indexOf("| procsync (default, putBytes/getBytes)")
                && text.indexOf("| procsync (default, putBytes/getBytes)") < text.indexOf("| agrona ("),
                "procsync's default row first, then its variants, then the peers: " + text);
        assertTrue(text.contains("| 10.00 M | ≥ Agrona ManyToOneRingBuffer (20.00 M) | **no** |"), text);
        assertTrue(text.contains("codec path ≥ 80 % of it (80.00 %) | yes |"), text);
        assertTrue(text.contains("| 2000 [1000–3000] | ≤ 1 µs | **no** |"), "targets show the spread: " + text);
        assertTrue(Files.size(png) > 1000);
    }
}
