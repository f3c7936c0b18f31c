package dev.procsync.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.codec.Codecs;
import dev.procsync.testing.TempRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The cases of the JSR-166 TCK's BlockingQueue tests that apply to a queue shared between
 * processes, written anew against {@link Queue#asBlockingQueue()}.
 */
class BlockingQueueViewTest {
    private static final int CAPACITY = 20;

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("bq");
    private final Queue<Integer> queue = ns.queue("q", Codecs.int32(), QueueCapacity.messages(CAPACITY));
    private final BlockingQueue<Integer> q = queue.asBlockingQueue();

    @AfterEach
    void cleanUp() {
        queue.close();
        ns.close();
        root.close();
    }

    private void fill() {
        for (int i = 0; i < CAPACITY; i++) {
            assertTrue(q.offer(i));
        }
    }

    /** Runs {@code call} on a thread of its own and returns what it threw, or null. */
    private static CompletableFuture<Throwable> onThread(Executable call, boolean interrupt) {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                call.execute();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        t.setDaemon(true);
        t.start();
        if (interrupt) {
            t.interrupt(); // before or during its wait: either way the call must throw
        }
        return outcome;
    }

    @Test
    void shouldRejectNullMessages() {
        assertThrows(NullPointerException.class, () -> q.offer(null));
        assertThrows(NullPointerException.class, () -> q.add(null));
        assertThrows(NullPointerException.class, () -> q.put(null));
        assertThrows(NullPointerException.class, () -> q.offer(null, 1, TimeUnit.MILLISECONDS));
        assertThrows(NullPointerException.class, () -> q.drainTo(null));
        assertThrows(NullPointerException.class, () -> q.drainTo(null, 3));
        assertEquals(0, q.size());
    }

    @Test
    void shouldCountSizeAndRemainingCapacity() {
        assertTrue(q.isEmpty());
        assertEquals(CAPACITY, q.remainingCapacity());
        for (int i = 0; i < CAPACITY; i++) {
            assertEquals(i, q.size());
            assertEquals(CAPACITY - i, q.remainingCapacity());
            q.add(i);
        }
        assertEquals(0, q.remainingCapacity());
        assertFalse(q.isEmpty());
    }

    @Test
    void shouldRefuseWhenFull() throws Exception {
        fill();
        assertFalse(q.offer(99));
        assertThrows(IllegalStateException.class, () -> q.add(99));
        assertFalse(q.offer(99, 10, TimeUnit.MILLISECONDS));
        assertFalse(q.offer(99, 0, TimeUnit.SECONDS));
        assertFalse(q.offer(99, -1, TimeUnit.SECONDS));
        assertEquals(CAPACITY, q.size());
    }

    @Test
    void shouldTakeInFifoOrderAndReturnNullWhenEmpty() throws Exception {
        fill();
        for (int i = 0; i < CAPACITY; i++) {
            assertEquals(i, i % 2 == 0 ? q.take() : q.poll());
        }
        assertNull(q.poll());
        assertNull(q.poll(10, TimeUnit.MILLISECONDS));
        assertNull(q.poll(0, TimeUnit.SECONDS));
        assertNull(q.poll(-3, TimeUnit.DAYS));
        assertThrows(java.util.NoSuchElementException.class, q::remove);
    }

    @Test
    void shouldHandAMessageToAWaitingTake() throws Exception {
        CompletableFuture<Integer> taken = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                taken.complete(q.take());
            } catch (Throwable e) {
                taken.completeExceptionally(e);
            }
        });
        t.start();
        q.put(7);
        assertEquals(7, taken.get(30, TimeUnit.SECONDS));
        CompletableFuture<Integer> polled = new CompletableFuture<>();
        new Thread(() -> {
            try {
                polled.complete(q.poll(30, TimeUnit.SECONDS));
            } catch (Throwable e) {
                polled.completeExceptionally(e);
            }
        }).start();
        q.put(8);
        assertEquals(8, polled.get(30, TimeUnit.SECONDS));
    }

    @Test
    void shouldLetAWaitingPutInWhenATakeMakesRoom() throws Exception {
        fill();
        CompletableFuture<Throwable> put = onThread(() -> q.put(CAPACITY), false);
        assertEquals(0, q.take());
        assertNull(put.get(30, TimeUnit.SECONDS));
        List<Integer> rest = new ArrayList<>();
        q.drainTo(rest);
        assertEquals(CAPACITY, rest.size());
        assertEquals(CAPACITY, rest.get(CAPACITY - 1));
    }

    @Test
    void shouldThrowInterruptedFromBlockingCallsInterruptedOnEntryOrWhileWaiting() throws Exception {
        assertTrue(onThread(q::take, true).get(30, TimeUnit.SECONDS) instanceof InterruptedException);
        assertTrue(onThread(() -> q.poll(30, TimeUnit.SECONDS), true).get(30, TimeUnit.SECONDS)
                instanceof InterruptedException);
        fill();
        assertTrue(onThread(() -> q.put(1), true).get(30, TimeUnit.SECONDS) instanceof InterruptedException);
        assertTrue(onThread(() -> q.offer(1, 30, TimeUnit.SECONDS), true).get(30, TimeUnit.SECONDS)
                instanceof InterruptedException);
        q.clear();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> q.put(1), "room, but interrupted on entry");
        assertFalse(Thread.interrupted());
        assertEquals(0, q.size());
    }

    @Test
    void shouldDrainWhatIsReady() {
        fill();
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(q));
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(q, 1));
        List<Integer> sink = new ArrayList<>();
        assertEquals(0, q.drainTo(sink, 0));
        assertEquals(0, q.drainTo(sink, -1));
        assertEquals(3, q.drainTo(sink, 3));
        assertEquals(List.of(0, 1, 2), sink);
        assertEquals(CAPACITY - 3, q.drainTo(sink));
        assertEquals(CAPACITY, sink.size());
        assertEquals(0, q.drainTo(sink));
        assertTrue(q.isEmpty());
    }

    @Test
    void shouldClearAndAddAll() {
        assertTrue(q.addAll(List.of(1, 2, 3)));
        assertThrows(IllegalArgumentException.class, () -> q.addAll(q));
        q.clear();
        assertTrue(q.isEmpty());
    }

    @Test
    void shouldSayWhyWalkingTheQueueIsUnsupported() {
        q.add(1);
        List<Executable> walks = List.of(q::iterator, () -> q.contains(1), () -> q.remove(1), q::toArray,
                () -> q.toArray(new Integer[0]), q::peek, q::element, () -> q.removeAll(List.of(1)),
                () -> q.retainAll(List.of(1)));
        for (Executable walk : walks) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, walk);
            assertTrue(e.getMessage().contains("shared memory"), e.getMessage());
        }
        assertEquals(1, q.size(), "nothing was taken");
        assertTrue(q.toString().contains("size=1"), q.toString());
    }
}
