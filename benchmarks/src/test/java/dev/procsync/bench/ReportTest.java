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
                "not json, ignored"));
        Path md = dir.resolve("PERF.md");
        Path png = dir.resolve("lat.png");
        Report.main(new String[] {dir.toString(), md.toString(), png.toString()});
        String text = Files.readString(md);
        assertTrue(text.contains("| procsync | 2000 [1000–3000]"), text);
        assertTrue(text.contains("| python-mp | 160.0 k"), text);
        assertTrue(text.contains("80.00×"), "python p50 160 µs vs procsync median 2 µs: " + text);
        assertTrue(text.contains("## queue-1to1-64") && text.contains("50.00×"), text);
        assertTrue(Files.size(png) > 1000);
    }
}
