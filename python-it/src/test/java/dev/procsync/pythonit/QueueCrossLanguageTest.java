package dev.procsync.pythonit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.channel.Queue;
import dev.procsync.channel.QueueCapacity;
import dev.procsync.codec.Codecs;
import dev.procsync.process.ChildProcess;
import dev.procsync.pythonit.Python.Backend;
import dev.procsync.pythonit.Python.Peer;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One JSON Queue between JVM and Python processes: 100,000 messages each way, none lost,
 * duplicated or reordered per producer, with a small ring so that both sides wait for each other.
 */
class QueueCrossLanguageTest {
    static final int MESSAGES = 100_000;
    static final long CAPACITY = 64 * 1024;

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("xqueue");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /** A message as both languages write it. */
    public record Message(String producer, long seq, String text) {
    }

    static Queue<Message> open(Namespace ns) {
        return ns.queue("q", Codecs.json(Message.class), QueueCapacity.bytes(CAPACITY));
    }

    /** Child JVM: puts {@code args[3]} messages as producer {@code args[2]}. */
    public static final class Producer {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Queue<Message> q = open(ns)) {
                int n = Integer.parseInt(args[3]);
                for (int i = 0; i < n; i++) {
                    q.put(new Message(args[2], i, "message " + i));
                }
            }
        }
    }

    @Test
    void shouldPassJsonMessagesFromAJvmProducerToAPythonConsumer() throws Exception {
        try (Queue<Message> q = open(ns); Children jvms = new Children();
                Peer consumer = Python.peer(Backend.EXTENSION, root.path(), "xqueue", "consume", "jvm",
                        "" + MESSAGES, "" + CAPACITY)) {
            ChildProcess producer = jvms.start(Producer.class, root.childArgs("xqueue", "jvm", "" + MESSAGES));
            assertEquals("CONSUMED " + MESSAGES, consumer.awaitLine("CONSUMED", Duration.ofMinutes(5)),
                    () -> "producer output:\n" + producer.output());
            consumer.joinSuccessfully();
            jvms.joinAllSuccessfully();
            assertTrue(q.isEmpty());
        }
    }

    @Test
    void shouldPassJsonMessagesFromPythonProducersToAJvmConsumer() throws Exception {
        try (Queue<Message> q = open(ns);
                Peer extension = Python.peer(Backend.EXTENSION, root.path(), "xqueue", "produce", "ext",
                        "" + MESSAGES / 2, "" + CAPACITY);
                Peer fallback = Python.peer(Backend.CTYPES, root.path(), "xqueue", "produce", "ctypes",
                        "" + MESSAGES / 2, "" + CAPACITY)) {
            Map<String, Long> next = new HashMap<>(Map.of("ext", 0L, "ctypes", 0L));
            for (int i = 0; i < MESSAGES; i++) {
                Message m = q.poll(Duration.ofSeconds(60));
                assertNotNull(m, () -> "nothing after " + next + "; python output:\n" + extension.output() + "\n"
                        + fallback.output());
                Long expected = next.get(m.producer());
                assertNotNull(expected, "unknown producer " + m.producer());
                assertEquals(expected, m.seq(), "FIFO per producer: " + m.producer());
                assertEquals("message " + m.seq(), m.text());
                next.put(m.producer(), expected + 1);
            }
            extension.joinSuccessfully();
            fallback.joinSuccessfully();
            assertEquals(Map.of("ext", (long) MESSAGES / 2, "ctypes", (long) MESSAGES / 2), next);
            assertTrue(q.isEmpty());
        }
    }
    @Test
    void shouldRevokeAPythonProducersBiasedClaimLockFromAJvmProducer() throws Exception {
        int each = 20_000;
        try (Queue<Message> q = open(ns); Children jvms = new Children();
                Peer python = Python.peer(Backend.CTYPES, root.path(), "xqueue", "produce", "py", "" + each,
                        "" + CAPACITY)) {
            Map<String, Long> next = new HashMap<>(Map.of("py", 0L, "jvm", 0L));
            ChildProcess jvm = null;
            for (int i = 0; i < 2 * each; i++) {
                if (i == 1_000) {
                    // The lone ctypes producer has biased the claim lock by now: the JVM producer must revoke it.
                    jvm = jvms.start(Producer.class, root.childArgs("xqueue", "jvm", "" + each));
                }
                Message m = q.poll(Duration.ofSeconds(60));
                assertNotNull(m, () -> "nothing after " + next + "; python output:\n" + python.output());
                Long expected = next.get(m.producer());
                assertNotNull(expected, "unknown producer " + m.producer());
                assertEquals(expected, m.seq(), "FIFO per producer: " + m.producer());
                next.put(m.producer(), expected + 1);
            }
            python.joinSuccessfully();
            jvms.joinAllSuccessfully();
            assertNotNull(jvm);
            assertEquals(Map.of("py", (long) each, "jvm", (long) each), next);
            assertTrue(q.isEmpty());
        }
    }
}
