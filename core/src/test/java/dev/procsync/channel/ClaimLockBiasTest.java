package dev.procsync.channel;

import dev.procsync.layout.QueueLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.procsync.Namespace;
import dev.procsync.codec.Codecs;
import dev.procsync.futex.Membarrier;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.Segment;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The claim lock's bias (Ring, ClaimLock): a producer that has the queue to itself keeps the lock
 * between puts; another handle revokes it; close gives it up; a holder found inside a claim is
 * waited for (and the word given back on timeout) unless its process is dead, when it is taken
 * over. Holders are staged in the words where a real one cannot be caught at the right moment.
 * Cross-process revocation under kills runs in {@link QueueKillTest} and the kill campaign.
 */
class ClaimLockBiasTest {
    private static final int ME = ProcessId.current().pid();

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("claimbias");

    /** Skips a test where the kernel lacks what biased claims need (they are never taken there). */
    static void assumeBiasedClaims() {
        assumeTrue(Membarrier.isAvailable(), "no membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED): claims are never biased");
    }

    @BeforeEach
    void needsMembarrier() {
        assumeBiasedClaims();
    }

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    private static void putNumbers(Queue<String> q, int from, int to) throws InterruptedException {
        for (int i = from; i < to; i++) {
            q.put(Integer.toString(i));
        }
    }

    private static List<String> drain(Queue<String> q) {
        List<String> out = new ArrayList<>();
        q.drainTo(out, Integer.MAX_VALUE);
        return out;
    }

    private static List<String> numbers(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(Integer.toString(i));
        }
        return out;
    }

    @Test
    void shouldKeepTheClaimLockBiasedToAProducerThatHasTheQueueToItself() throws Exception {
        try (Queue<String> q = ns.queue("q", Codecs.utf8())) {
            Segment s = q.segment();
            putNumbers(q, 0, 10);
            assertEquals(0, s.getIntAcquire(QueueLayout.LOCK), "ten puts are not yet a run that earns the bias");
            putNumbers(q, 10, 300);
            assertEquals(ME | QueueLayout.BIASED, s.getIntAcquire(QueueLayout.LOCK));
            assertNotEquals(0L, s.getLongAcquire(QueueLayout.BIAS));
            assertEquals(0, s.getIntAcquire(QueueLayout.INSIDE), "between puts the holder is not inside a claim");
            assertEquals(300, q.size());
            assertEquals(numbers(0, 300), drain(q));
        }
    }

    @Test
    void shouldGiveTheBiasUpOnClose() throws Exception {
        try (Queue<String> other = ns.queue("q", Codecs.utf8())) {
            Segment s = other.segment();
            try (Queue<String> q = ns.queue("q", Codecs.utf8())) {
                putNumbers(q, 0, 300);
                assertEquals(ME | QueueLayout.BIASED, s.getIntAcquire(QueueLayout.LOCK));
            }
            assertEquals(0, s.getIntAcquire(QueueLayout.LOCK));
            assertEquals(0L, s.getLongAcquire(QueueLayout.BIAS));
            assertTrue(other.offer("after"), "the lock must be free once the biased handle closed");
            assertEquals(300 + 1, other.size());
        }
    }

    @Test
    void shouldRevokeTheBiasWhenAnotherHandlePutsAndKeepEveryMessage() throws Exception {
        try (Queue<String> a = ns.queue("q", Codecs.utf8()); Queue<String> b = ns.queue("q", Codecs.utf8())) {
            Segment s = a.segment();
            putNumbers(a, 0, 300);
            long biasOfA = s.getLongAcquire(QueueLayout.BIAS);
            assertNotEquals(0L, biasOfA);
            b.put("from b"); // another handle: revokes, claims under the lock
            assertNotEquals(biasOfA, s.getLongAcquire(QueueLayout.BIAS), "a's bias must be gone");
            putNumbers(a, 300, 310); // a finds its bias revoked and takes the lock as anyone would
            List<String> expected = numbers(0, 300);
            expected.add("from b");
            expected.addAll(numbers(300, 310));
            assertEquals(expected, drain(a));
        }
    }

    @Test
    void shouldGiveTheWordBackOnTimeoutWhileALiveBiasedHolderIsInsideAClaim() throws Exception {
        Process live = new ProcessBuilder("sleep", "600").start();
        try (Queue<String> q = ns.queue("q", Codecs.utf8())) {
            ProcessId holder = ProcessId.of((int) live.pid());
            assertTrue(holder != null, "sleep died at once");
            Segment s = q.segment();
            int biased = holder.pid() | QueueLayout.BIASED;
            assertTrue(s.compareAndSetInt(QueueLayout.LOCK, 0, biased));
            s.setLongRelease(QueueLayout.LOCK_START, holder.startTime());
            s.setLongRelease(QueueLayout.BIAS, 1L << 63 | (long) holder.pid() << 32 | 7);
            s.setIntRelease(QueueLayout.INSIDE, 1); // a holder stopped in the middle of a claim

            assertFalse(q.offer("x", Duration.ofMillis(100)), "a live holder inside its claim was overrun");
            assertEquals(biased, s.getIntAcquire(QueueLayout.LOCK), "the revoker must hand the word back");
            assertEquals(0L, s.getLongAcquire(QueueLayout.BIAS), "the bias stays revoked");
            assertEquals(0, q.size());

            s.setIntRelease(QueueLayout.INSIDE, 0); // the holder finishes its claim
            assertTrue(q.offer("y", Duration.ofSeconds(10)));
            assertEquals(List.of("y"), drain(q));
        } finally {
            live.destroyForcibly();
            live.waitFor();
        }
    }

    @Test
    void shouldTakeOverFromABiasedHolderThatDiedInsideAClaim() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        int dead = (int) gone.pid();
        try (Queue<String> q = ns.queue("q", Codecs.utf8())) {
            Segment s = q.segment();
            assertTrue(s.compareAndSetInt(QueueLayout.LOCK, 0, dead | QueueLayout.BIASED));
            s.setLongRelease(QueueLayout.LOCK_START, 12345);
            s.setLongRelease(QueueLayout.BIAS, 1L << 63 | (long) dead << 32 | 7);
            s.setIntRelease(QueueLayout.INSIDE, 1);
            s.setLongRelease(QueueLayout.PUT_TOTAL, 1); // it counted a put and died before publishing tail

            assertTrue(q.offer("x", Duration.ofSeconds(10)), "a dead holder must not wedge the producers");
            assertEquals(0, s.getIntAcquire(QueueLayout.INSIDE));
            assertEquals(1, q.size());
            assertEquals(1L, s.getLongAcquire(QueueLayout.PUT_TOTAL), "putTotal reconciled with tail, then counted x");
            assertEquals(List.of("x"), drain(q));
        }
    }
}
