package dev.procsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.channel.Connections;
import dev.procsync.channel.JoinableQueue;
import dev.procsync.channel.Pipe;
import dev.procsync.channel.Queue;
import dev.procsync.channel.QueueCapacity;
import dev.procsync.codec.Codecs;
import dev.procsync.sync.Barrier;
import dev.procsync.sync.BoundedSemaphore;
import dev.procsync.sync.Condition;
import dev.procsync.sync.Event;
import dev.procsync.sync.Lock;
import dev.procsync.sync.RLock;
import dev.procsync.sync.Semaphore;
import dev.procsync.testing.TempRoot;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Zero or negative timeouts mean "do not wait" in every blocking method, as in
 * java.util.concurrent; a null timeout is a NullPointerException. The waits below could never
 * succeed, so each call returns only because it did not wait (a bug would hang until the test's
 * timeout, or throw the old IllegalArgumentException).
 */
class NonPositiveTimeoutTest {
    private static final List<Duration> NOT_POSITIVE = List.of(Duration.ZERO, Duration.ofNanos(-1),
            Duration.ofSeconds(-5), Duration.ofSeconds(Long.MIN_VALUE));

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("timeouts");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    @Test
    void shouldOnlyTryTheLocksAndSemaphores() throws Exception {
        try (Lock lock = ns.lock("l"); RLock rlock = ns.rlock("r"); Semaphore sem = ns.semaphore("s", 0);
                BoundedSemaphore bounded = ns.boundedSemaphore("b", 1)) {
            assertTrue(bounded.tryAcquire());
            lock.acquire(); // held by this thread; another thread's timed try must not wait
            Thread other = new Thread(() -> {
                try {
                    for (Duration d : NOT_POSITIVE) {
                        assertFalse(lock.tryAcquire(d));
                        assertFalse(sem.tryAcquire(d));
                        assertFalse(sem.tryAcquire(2, d));
                        assertFalse(bounded.tryAcquire(d));
                    }
                    assertFalse(lock.tryAcquire(-1, TimeUnit.DAYS));
                    assertFalse(sem.tryAcquire(Long.MIN_VALUE, TimeUnit.NANOSECONDS));
                    assertFalse(bounded.tryAcquire(1, -3, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            other.start();
            other.join(60_000);
            assertFalse(other.isAlive());
            lock.release();
            assertTrue(lock.tryAcquire(Duration.ofSeconds(-1)), "a free lock is taken by a non-positive timeout");
            assertTrue(rlock.tryAcquire(Duration.ofSeconds(-1)));
            assertTrue(rlock.tryAcquire(-1, TimeUnit.SECONDS), "reentrant");
            assertEquals(2, rlock.holdCount());
            sem.release(2);
            assertTrue(sem.tryAcquire(2, Duration.ofMillis(-1)));
            for (Object t : List.of(lock, rlock, sem, bounded)) {
                assertThrows(NullPointerException.class, () -> {
                    if (t instanceof Lock l) {
                        l.tryAcquire(null);
                    } else if (t instanceof RLock r) {
                        r.tryAcquire(null);
                    } else if (t instanceof Semaphore s) {
                        s.tryAcquire(1, (Duration) null);
                    } else {
                        ((BoundedSemaphore) t).tryAcquire(null);
                    }
                }, t.toString());
            }
        }
    }

    @Test
    void shouldOnlyCheckEventConditionAndBarrier() throws Exception {
        try (Event event = ns.event("e"); Condition cond = ns.condition("c"); Barrier barrier = ns.barrier("bar", 2);
                Barrier single = ns.barrier("one", 1)) {
            for (Duration d : NOT_POSITIVE) {
                assertFalse(event.await(d));
                cond.acquire();
                try {
                    assertFalse(cond.await(d), "nobody signals: a non-positive wait times out at once");
                    assertFalse(cond.awaitUntil(() -> false, d));
                    assertTrue(cond.awaitUntil(() -> true, d));
                } finally {
                    cond.release();
                }
                assertEquals(0, single.await(d), "an arrival that completes the round succeeds");
            }
            assertFalse(event.await(-1, TimeUnit.SECONDS));
            assertThrows(BrokenBarrierException.class, () -> barrier.await(Duration.ofMillis(-1)),
                    "a non-positive wait that does not complete the round breaks it, as a zero one does");
            event.set();
            assertTrue(event.await(Duration.ofSeconds(-1)));
            assertThrows(NullPointerException.class, () -> event.await(null));
            assertThrows(NullPointerException.class, () -> barrier.await(null));
        }
    }

    @Test
    void shouldOnlyTryTheChannels() throws Exception {
        try (Queue<Integer> full = ns.queue("q", Codecs.int32(), QueueCapacity.messages(1));
                JoinableQueue<Integer> jq = ns.joinableQueue("jq", Codecs.int32(), QueueCapacity.messages(4));
                Pipe<byte[]> pipe = ns.pipe("p", true)) {
            assertNull(full.poll(Duration.ofSeconds(-1)));
            assertEquals(-1, full.pollBytes(ByteBuffer.allocate(8), Duration.ofNanos(-1)));
            assertTrue(full.offer(1, Duration.ofSeconds(-1)), "room for one: a non-positive offer puts it");
            for (Duration d : NOT_POSITIVE) {
                assertFalse(full.offer(2, d));
                assertFalse(full.offerBytes(ByteBuffer.allocate(4), d));
            }
            assertEquals(1, full.poll(Duration.ofSeconds(-1)));
            jq.put(7);
            assertFalse(jq.join(Duration.ofSeconds(-1)), "one task not done");
            assertFalse(pipe.a().poll(Duration.ofSeconds(-1)));
            assertTrue(Connections.wait(List.of(pipe.a(), pipe.b()), Duration.ofSeconds(-1)).isEmpty());
            assertThrows(NullPointerException.class, () -> full.poll(null));
            assertThrows(NullPointerException.class, () -> pipe.a().poll(null));
        }
    }
}
