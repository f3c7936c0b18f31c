package dev.procsync.channel;

import dev.procsync.layout.QueueLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.codec.Codecs;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.Segment;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The queue's claim lock against a live producer caught between its claiming CAS and its
 * start-time store (staged: a live {@code sleep} process's pid in the word, another start time
 * beside it): a blocked producer woken over and over must not force it.
 */
class ClaimLockTakeoverTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("claimtakeover");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    @Test
    void shouldNotLetAProducerWokenOverAndOverForceALiveClaimerThatHasNotStoredItsStartTime() throws Exception {
        Process live = new ProcessBuilder("sleep", "600").start();
        try (Queue<String> q = ns.queue("q", Codecs.utf8())) {
            ProcessId holder = ProcessId.of((int) live.pid());
            assertTrue(holder != null, "sleep died at once");
            Segment segment = q.segment();
            assertTrue(segment.compareAndSetInt(QueueLayout.LOCK, 0, holder.pid()));
            segment.setLongRelease(QueueLayout.LOCK_START, holder.startTime() + 1);
            CompletableFuture<Boolean> producer = CompletableFuture.supplyAsync(() -> {
                try {
                    return q.offer("x", Duration.ofMillis(200)); // a fifth of the owner-death grace
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            while (!producer.isDone()) {
                segment.wake(QueueLayout.LOCK, 1);
                Thread.onSpinWait();
            }
            assertFalse(producer.get(), "the producer took the claim lock from a live claimer");
            assertEquals(0, q.size());
            assertEquals(holder.pid(), segment.getIntAcquire(QueueLayout.LOCK) & QueueLayout.PID_MASK);
        } finally {
            live.destroyForcibly();
            live.waitFor();
        }
    }
}
