package dev.procsync.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.testing.TempRoot;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipeConversationTest {
    @Test
    void shouldAnswerEveryQuestionInOrderAndSeeTheHangUp() throws Exception {
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("pipe", root.path())) {
            List<String> heard = PipeConversation.run(sample, 20);
            assertEquals(21, heard.size());
            assertTrue(heard.get(0).startsWith("hello from pid"), heard.get(0));
            for (int i = 1; i <= 20; i++) {
                assertEquals(Integer.toString(i + i * 10), heard.get(i), "answer " + i);
            }
            assertEquals(1, Tally.open(sample.ns(), "saw-end-of-stream").get(), "the child saw end of stream");
        }
    }
}
