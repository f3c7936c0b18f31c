package dev.procsync.vthread;

import static dev.procsync.vthread.VirtualThreadSupport.assumeVirtualThreads;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procsync.Namespace;
import dev.procsync.channel.Connection;
import dev.procsync.channel.JoinableQueue;
import dev.procsync.channel.Pipe;
import dev.procsync.channel.Queue;
import dev.procsync.channel.QueueCapacity;
import dev.procsync.codec.Codecs;
import dev.procsync.sync.Barrier;
import dev.procsync.sync.Condition;
import dev.procsync.sync.Lock;
import dev.procsync.sync.Semaphore;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every family of blocking wait, from virtual threads. Each test parks more virtual threads than
 * the JVM has carriers, then lets one more virtual thread release them: if a wait pinned its
 * carrier, the waiters would not all park and the releaser would never run.
 */
class VirtualThreadWaitsTest {
    private static final int WAITERS = 3 * Runtime.getRuntime().availableProcessors() + 2;
    private static final Duration BOUND = Duration.ofSeconds(60);

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("vwaits");

    @BeforeEach
    void needsVirtualThreads() {
        assumeVirtualThreads();
    }

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /** Parks {@link #WAITERS} virtual threads in {@code wait}, then runs {@code release} on one more. */
    private static void parkThenRelease(VirtualThreadSupport.Task wait, VirtualThreadSupport.Task release)
            throws Throwable {
        VirtualThreadSupport.Group waiters = new VirtualThreadSupport.Group(WAITERS);
        for (int i = 0; i < WAITERS; i++) {
            waiters.start(wait);
        }
        waiters.awaitAllParked(BOUND);
        VirtualThreadSupport.Group releaser = new VirtualThreadSupport.Group(1);
        releaser.start(release);
        releaser.join(BOUND);
        waiters.join(BOUND);
    }

    @Test
    void shouldParkSemaphoreAcquires() throws Throwable {
        try (Semaphore semaphore = ns.semaphore("s", 0)) {
            AtomicInteger acquired = new AtomicInteger();
            parkThenRelease(() -> {
                semaphore.acquire();
                acquired.incrementAndGet();
            }, () -> semaphore.release(WAITERS));
            assertEquals(WAITERS, acquired.get());
        }
    }

    @Test
    void shouldParkConditionWaits() throws Throwable {
        try (Lock lock = ns.lock("l"); Condition condition = ns.condition("c", lock)) {
            AtomicInteger ready = new AtomicInteger();
            AtomicInteger notified = new AtomicInteger();
            parkThenRelease(() -> {
                lock.acquire();
                try {
                    ready.incrementAndGet();
                    if (!condition.await(BOUND)) {
                        throw new AssertionError("not notified within " + BOUND);
                    }
                    notified.incrementAndGet();
                } finally {
                    lock.release();
                }
            }, () -> {
                // A waiter counts itself under the lock and gives the lock up only inside await(): once
                // all have counted, the lock is ours only after every one of them waits.
                long deadline = System.nanoTime() + BOUND.toNanos();
                while (ready.get() < WAITERS && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                lock.acquire();
                try {
                    condition.signalAll();
                } finally {
                    lock.release();
                }
            });
            assertEquals(WAITERS, ready.get());
            assertEquals(WAITERS, notified.get());
        }
    }

    @Test
    void shouldParkBarrierWaits() throws Throwable {
        try (Barrier barrier = ns.barrier("b", WAITERS + 1)) {
            parkThenRelease(barrier::await, barrier::await);
        }
    }

    @Test
    void shouldParkQueueGetsThenPuts() throws Throwable {
        try (Queue<Integer> queue = ns.queue("q", Codecs.int32(), QueueCapacity.messages(2))) {
            ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
            parkThenRelease(() -> got.add(queue.get()), () -> {
                for (int i = 0; i < WAITERS; i++) {
                    queue.put(i);
                }
            });
            assertEquals(WAITERS, got.size());

            queue.put(-1);
            queue.put(-2);
            parkThenRelease(() -> queue.put(7), () -> {
                for (int i = 0; i < WAITERS; i++) {
                    got.add(queue.get());
                }
            });
            assertEquals(2, queue.size());
        }
    }

    @Test
    void shouldParkJoins() throws Throwable {
        try (JoinableQueue<Integer> queue = ns.joinableQueue("j", Codecs.int32(), QueueCapacity.defaults())) {
            queue.put(1);
            parkThenRelease(queue::join, () -> {
                queue.get();
                queue.taskDone();
            });
        }
    }

    @Test
    void shouldParkPipeReceives() throws Throwable {
        List<Pipe<byte[]>> pipes = new ArrayList<>();
        try {
            for (int i = 0; i < WAITERS; i++) {
                pipes.add(Pipe.open(ns, "p" + i, false, 256, Codecs.bytes()));
            }
            AtomicInteger next = new AtomicInteger();
            ConcurrentLinkedQueue<byte[]> received = new ConcurrentLinkedQueue<>();
            parkThenRelease(() -> {
                Connection<byte[]> reader = pipes.get(next.getAndIncrement()).a();
                received.add(reader.recv());
            }, () -> {
                for (Pipe<byte[]> pipe : pipes) {
                    pipe.b().send(new byte[] {42});
                }
            });
            assertEquals(WAITERS, received.size());
            for (byte[] message : received) {
                assertArrayEquals(new byte[] {42}, message);
            }
        } finally {
            for (Pipe<byte[]> pipe : pipes) {
                pipe.close();
            }
        }
    }
}
