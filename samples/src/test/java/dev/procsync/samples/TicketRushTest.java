package dev.procsync.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procsync.testing.TempRoot;
import org.junit.jupiter.api.Test;

class TicketRushTest {
    @Test
    void shouldSellExactlyTheStockToFiveBuyersUnderTheLock() throws Exception {
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("tickets", root.path())) {
            TicketRush.Result r = TicketRush.run(sample, 3, 5, 5, true);
            assertEquals(3, r.sold(), "tickets sold");
            assertEquals(0, r.leftInFile(), "tickets left in the database");
        }
    }

    @Test
    void shouldSellTheLastTicketOnceToAHundredBuyers() throws Exception {
        try (TempRoot root = new TempRoot(); Sample sample = Sample.captured("tickets", root.path())) {
            TicketRush.Result r = TicketRush.run(sample, 1, 100, 4, true);
            assertEquals(1, r.sold(), "tickets sold");
            assertEquals(0, r.leftInFile(), "tickets left in the database");
        }
    }
}
