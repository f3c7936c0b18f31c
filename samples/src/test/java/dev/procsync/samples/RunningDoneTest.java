package dev.procsync.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.testing.TempRoot;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunningDoneTest {
    @Test
    void shouldPairRunningAndDoneUnderTheLock() throws Exception {
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("running-done", root.path())) {
            List<String> transcript = RunningDone.run(sample, 3, "lock");
            assertEquals(6, transcript.size());
            assertTrue(RunningDone.paired(transcript), () -> String.join("\n", transcript));
        }
    }

    @Test
    void shouldPairRunningAndDoneWhenEachProcessIsJoined() throws Exception {
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("running-done", root.path())) {
            List<String> transcript = RunningDone.run(sample, 2, "join");
            assertEquals(4, transcript.size());
            assertTrue(RunningDone.paired(transcript), () -> String.join("\n", transcript));
        }
    }

    @Test
    void shouldRejectInterleavedTranscript() {
        assertFalse(RunningDone.paired(List.of("pid 1 is running", "pid 2 is running", "pid 1 is done",
                "pid 2 is done")));
    }
}
