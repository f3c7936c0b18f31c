package dev.procsync.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.bench.harness.Harness;
import dev.procsync.bench.harness.Result;
import dev.procsync.bench.harness.Workload;
import dev.procsync.bench.harness.Workloads;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs every cross-process workload once in quick mode so the harness cannot rot; asserts no figure. */
class HarnessSmokeTest {
    @TestFactory
    List<DynamicTest> shouldRunEveryWorkloadBriefly() {
        return Workloads.all().stream().map(Workload::name).map(name -> DynamicTest.dynamicTest(name, () -> {
            List<Result> results = Harness.run(List.of(name), true, 1);
            assertFalse(results.isEmpty(), name + " produced no result");
            for (Result r : results) {
                String json = r.toJson();
                // procsync rows, and the peers some workloads measure in the same run (Agrona, a JDK lock)
                assertTrue(json.startsWith("{\"impl\":\"procsync\"") || json.startsWith("{\"impl\":\"agrona")
                        || json.startsWith("{\"impl\":\"jdk-"), json);
            }
        })).toList();
    }
}
