package dev.procsync.pythonit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procsync.samples.Sample;
import dev.procsync.samples.TicketRushWithPython;
import dev.procsync.testing.TempRoot;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The cross-language ticket rush sample: the tutorial's Python buyers and JVM buyers never oversell. */
class TicketRushSampleTest {
    @Test
    void shouldSellExactlyTheStockToPythonAndJvmBuyers() throws Exception {
        Python.interpreter();
        Path script = Python.peers().resolve("../../../../samples/python/ticket_rush.py").normalize();
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("tickets-python", root.path())) {
            TicketRushWithPython.Result r = TicketRushWithPython.run(sample, 3, 3, script,
                    Python.packageDir().toString());
            assertEquals(3, r.sold(), "3 tickets, 8 buyers (5 Python, 3 JVM): all sold, none twice");
            assertEquals(0, r.left());
        }
    }
}
