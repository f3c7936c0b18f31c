package dev.procsync.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.codec.Codecs;
import dev.procsync.testing.TempRoot;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueueCapacityTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("cap");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    @Test
    void shouldSizeTheRingFromAMessageCount() {
        QueueCapacity six = QueueCapacity.messages(6);
        assertEquals(32768, six.bytes(), "6 records of 4 KiB + 16 (24672 B), rounded up to the ring's power of two");
        assertEquals(6, six.messages());
        assertEquals(32768, six.ringBytes());
        assertEquals(32752, six.maxMessageSize());
        assertEquals(8192, QueueCapacity.messages(1).bytes());
        assertEquals(QueueCapacity.DEFAULT_BYTES, QueueCapacity.messages(1_000_000).bytes(),
                "a message count never reserves more than the default queue");
        assertEquals(QueueCapacity.MAX_MESSAGES, QueueCapacity.messages(QueueCapacity.MAX_MESSAGES).messages());
    }

    @Test
    void shouldSizeTheRingFromACountAndALargestMessage() {
        QueueCapacity small = QueueCapacity.messages(6, 64);
        assertEquals(512, small.bytes(), "6 records of 80 B = 480, rounded up to 512");
        assertTrue(small.maxMessageSize() >= 64);
        QueueCapacity exact = QueueCapacity.messages(4, 240);
        assertEquals(1024, exact.bytes(), "4 records of 256 B exactly");
        assertEquals(64, QueueCapacity.messages(1, 0).bytes(), "never below MIN_BYTES");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QueueCapacity.messages(1 << 20, 4096));
        assertTrue(e.getMessage().contains("1048576 queue messages of 4096 bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QueueCapacity.messages(6, -1));
        assertThrows(IllegalArgumentException.class, () -> QueueCapacity.messages(0, 64));
        assertThrows(IllegalArgumentException.class, () -> QueueCapacity.messages(0));
        assertThrows(IllegalArgumentException.class, () -> QueueCapacity.messages(QueueCapacity.MAX_MESSAGES + 1));
    }

    @Test
    void shouldSayWhatItReserves() {
        assertEquals("QueueCapacity[bytes=32768, messages=6, ring=32768 B, largest message=32752 B]",
                QueueCapacity.messages(6).toString());
        assertEquals("QueueCapacity[bytes=100, messages=6, ring=128 B, largest message=80 B]",
                QueueCapacity.bytes(100).toString());
    }

    @Test
    void shouldReserveOnlyTheRingItAsked() throws Exception {
        try (Queue<String> q = ns.queue("six", Codecs.utf8(), QueueCapacity.messages(6))) {
            for (int i = 0; i < 6; i++) {
                assertTrue(q.offer("m" + i));
            }
            assertTrue(!q.offer("one too many"), "the message bound still applies");
            long file = Files.size(ns.directory().resolve("six"));
            assertTrue(file <= 36 * 1024, "a 32 KiB ring plus its control block, not a 1 MiB one: " + file);
        }
    }
}
