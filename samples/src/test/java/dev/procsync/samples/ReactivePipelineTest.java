package dev.procsync.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.testing.TempRoot;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ReactivePipelineTest {
    @Test
    void shouldCompleteEveryPipelineWithTheLoadersResultWithoutAThreadPerPipeline() throws Exception {
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("reactive-event", root.path())) {
            ReactivePipeline.Result r = ReactivePipeline.run(sample, 1000);
            List<Long> expected = LongStream.rangeClosed(1, 1000).map(i -> 42 + i).boxed().collect(Collectors.toList());
            assertEquals(expected, r.results().stream().sorted().collect(Collectors.toList()));
            assertTrue(r.threadsWhileWaiting() - r.threadsBefore() < 20,
                    () -> "1000 waiting pipelines took " + (r.threadsWhileWaiting() - r.threadsBefore()) + " threads");
        }
    }
}
