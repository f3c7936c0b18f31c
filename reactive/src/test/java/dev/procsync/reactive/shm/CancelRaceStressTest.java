package dev.procsync.reactive.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.channel.Queue;
import dev.procsync.channel.QueueCapacity;
import dev.procsync.codec.Codecs;
import dev.procsync.reactive.Permit;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveAcquirable;
import dev.procsync.reactive.ReactiveLock;
import dev.procsync.reactive.ReactiveQueue;
import dev.procsync.reactive.ReactiveRLock;
import dev.procsync.reactive.poller.Waiter;
import dev.procsync.reactive.testing.Ns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * One test per reactive operation that takes something: a cancel from another thread races the
 * grant (on the requesting thread, on the poller, before delivery on the Scheduler), iteration
 * after iteration, and nothing may be lost or duplicated: every permit comes back, every message
 * is received exactly once (a put that won against its cancel stays put, one that lost is never
 * put later). The default build runs {@link #races()} iterations per operation (a few seconds in
 * all); {@link CancelRaceLongStressTest} runs a million each.
 */
class CancelRaceStressTest {
    private final Ns ns = new Ns("rxcancel");
    private final Canceller canceller = new Canceller();
    private final AtomicInteger violations = new AtomicInteger();

    /** Iterations per operation. */
    protected int races() {
        return 2_000;
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        canceller.stop();
        ns.close();
    }

    // ---- permits ----

    @Test
    void shouldConserveTheLockWhenAcquireRacesCancel() {
        try (ReactiveLock lock = ns.rx.lock("l"); ReactiveLock hog = ns.rx.lock("l")) {
            permits(lock, hog, 1, i -> lock.acquire());
            assertFreeAfterwards(ns.rx.lock("l"));
        }
    }

    @Test
    void shouldConserveTheLockWhenTryAcquireRacesCancel() {
        try (ReactiveLock lock = ns.rx.lock("l")) {
            permits(lock, null, 1, i -> lock.tryAcquire());
            assertFreeAfterwards(ns.rx.lock("l"));
        }
    }

    @Test
    void shouldConserveTheRLockWhenAcquireRacesCancel() {
        try (ReactiveRLock lock = ns.rx.rlock("r"); ReactiveRLock hog = ns.rx.rlock("r")) {
            permits(lock, hog, Integer.MAX_VALUE, i -> lock.acquire());
            assertEquals(0, lock.holdCount().block(), "every hold of the handle came back");
            assertFreeAfterwards(ns.rx.rlock("r"));
        }
    }

    @Test
    void shouldConserveTheRLockWhenTryAcquireRacesCancel() {
        try (ReactiveRLock lock = ns.rx.rlock("r")) {
            permits(lock, null, Integer.MAX_VALUE, i -> lock.tryAcquire());
            assertEquals(0, lock.holdCount().block(), "every hold of the handle came back");
            assertFreeAfterwards(ns.rx.rlock("r"));
        }
    }

    @Test
    void shouldConserveSemaphorePermitsWhenAcquireRacesCancel() {
        try (var sem = ns.rx.semaphore("s", 1); var hog = ns.rx.semaphore("s", 1)) {
            permits(sem, hog, 1, i -> sem.acquire());
            assertEquals(1, sem.availablePermits().block());
        }
    }

    @Test
    void shouldConserveSemaphorePermitsWhenTryAcquireRacesCancel() {
        try (var sem = ns.rx.semaphore("s", 1)) {
            permits(sem, null, 1, i -> sem.tryAcquire());
            assertEquals(1, sem.availablePermits().block());
        }
    }

    private static void assertFreeAfterwards(ReactiveAcquirable other) {
        Permit p = other.tryAcquire().block();
        assertNotNull(p, "every permit was given back, so another handle gets it: " + other);
        p.close();
    }

    /**
     * Each iteration: maybe a hog holds the resource (so the acquire waits in the poller and is
     * granted there when the hog lets go, right after the subscription), then the canceller
     * cancels at a random moment. Delivered permits are released by the test, some at once, some
     * one iteration later.
     */
    private void permits(ReactiveAcquirable target, ReactiveAcquirable hog, int maxHolders,
            IntFunction<Publisher<Permit>> op) {
        SplittableRandom random = new SplittableRandom(7);
        AtomicInteger holders = new AtomicInteger();
        ConcurrentLinkedQueue<Permit> held = new ConcurrentLinkedQueue<>();
        List<Probe<Permit>> probes = new ArrayList<>();
        int delivered = 0;
        for (int i = 0; i < races(); i++) {
            Permit hogged = hog != null && random.nextBoolean() ? hog.tryAcquire().block() : null;
            Probe<Permit> probe = new Probe<>(permit -> {
                if (holders.incrementAndGet() > maxHolders) {
                    violations.incrementAndGet();
                }
                held.add(permit);
            });
            op.apply(i).subscribe(probe);
            if (hogged != null) {
                hogged.close(); // the poller grants the waiting acquire now, racing the cancel
            }
            if (random.nextBoolean()) {
                releaseAll(held, holders);
            }
            probes.add(probe);
            if (probes.size() == 256) {
                delivered += settle(probes, held, holders);
            }
        }
        delivered += settle(probes, held, holders);
        releaseAll(held, holders);
        assertEquals(0, violations.get(), "more holders than permits, or an unexpected error");
        System.out.println(target + ": " + races() + " cancel races, " + delivered + " permits delivered");
        assertTrue(delivered > 0 && delivered < races(), "both outcomes must occur: " + delivered);
    }

    private int settle(List<Probe<Permit>> probes, ConcurrentLinkedQueue<Permit> held, AtomicInteger holders) {
        int delivered = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (Probe<Permit> p : probes) {
            while (!p.settled()) {
                releaseAll(held, holders);
                assertTrue(System.nanoTime() < deadline, "a subscription did not settle");
                Thread.onSpinWait();
            }
            delivered += p.values.size();
        }
        probes.clear();
        return delivered;
    }

    private static void releaseAll(ConcurrentLinkedQueue<Permit> held, AtomicInteger holders) {
        Permit p;
        while ((p = held.poll()) != null) {
            holders.decrementAndGet();
            p.close();
        }
    }

    // ---- messages ----

    @Test
    void shouldReceiveEveryMessageOnceWhenTakeRacesCancel() throws Exception {
        takes(false);
    }

    @Test
    void shouldReceiveEveryMessageOnceWhenPollRacesCancel() throws Exception {
        takes(true);
    }

    /**
     * One message is produced per iteration, before the subscription or (for take) right after it,
     * so the take completes inline or from the poller; whatever the cancel leaves in the handle or
     * the queue is drained at the end, and every message must be seen exactly once.
     */
    private void takes(boolean poll) throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        Set<Integer> seen = new HashSet<>();
        List<Probe<Integer>> probes = new ArrayList<>();
        try (Queue<Integer> producer = ns.ns.queue("q", Codecs.int32(), QueueCapacity.messages(1024))) {
            ReactiveQueue<Integer> consumer = ns.rx.queue("q", Codecs.int32(), QueueBound.messages(1024));
            for (int i = 0; i < races(); i++) {
                boolean before = poll || random.nextBoolean();
                if (before) {
                    assertTrue(producer.offer(i));
                }
                Probe<Integer> probe = new Probe<>(m -> { });
                (poll ? consumer.poll() : consumer.take()).subscribe(probe);
                if (!before) {
                    assertTrue(producer.offer(i));
                }
                probes.add(probe);
                while (producer.size() > 512) { // cancels that won before the dequeue leave messages behind
                    Integer m = producer.poll();
                    assertTrue(m == null || seen.add(m), "message " + m + " seen twice");
                }
            }
            for (Probe<Integer> p : probes) {
                awaitSettled(p);
                for (Integer m : p.values) {
                    assertTrue(seen.add(m), "message " + m + " received twice");
                }
            }
            long kept = ((ShmQueue<Integer>) consumer).keptForNextTake();
            consumer.close(); // offers what it kept for its next take back to the queue
            Integer m;
            while ((m = producer.poll()) != null) {
                assertTrue(seen.add(m), "message " + m + " both received and left in the queue");
            }
            System.out.println((poll ? "poll" : "take") + ": " + races() + " cancel races, " + kept
                    + " messages dequeued for a cancelled subscriber and kept");
            if (!poll) { // a poll's window between dequeue and delivery is a few instructions: reported only
                assertTrue(kept > 0, "the dequeue-versus-cancel race never happened: the test proves nothing");
            }
        }
        assertEquals(races(), seen.size(), "messages lost");
    }

    @Test
    void shouldPutEachMessageAtMostOnceAndEveryCompletedOneWhenPutRacesCancel() throws Exception {
        puts(false);
    }

    @Test
    void shouldPutEachMessageAtMostOnceAndEveryCompletedOneWhenOfferRacesCancel() throws Exception {
        puts(true);
    }

    /**
     * A queue of two messages that the test drains one message per iteration, after the
     * subscription: puts wait for room in the poller, and the cancel races the put there. A put
     * that completed must be in the queue; a put cancelled first may or may not be, but once.
     */
    private void puts(boolean offer) throws Exception {
        Set<Integer> completed = new HashSet<>();
        Set<Integer> seen = new HashSet<>();
        List<Probe<Object>> probes = new ArrayList<>();
        try (Queue<Integer> consumer = ns.ns.queue("p", Codecs.int32(), QueueCapacity.messages(2));
                ReactiveQueue<Integer> producer = ns.rx.queue("p", Codecs.int32(), QueueBound.messages(2))) {
            for (int i = 0; i < races(); i++) {
                Probe<Object> probe = new Probe<>(v -> { });
                probe.id = i;
                (offer ? producer.offer(i) : producer.put(i)).subscribe(probe);
                Integer m = consumer.poll();
                if (m != null) {
                    assertTrue(seen.add(m), "message " + m + " put twice");
                }
                probes.add(probe);
            }
            // Puts of one handle are served in order: once this one is in, every earlier one is decided.
            // Keep draining meanwhile: earlier puts still waiting for room would otherwise fill the
            // two-message queue ahead of it and wait forever (a slow poller leaves several pending).
            CompletableFuture<Void> last = producer.put(-1).toFuture();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!last.isDone()) {
                assertTrue(System.nanoTime() < deadline, "the last put never completed");
                Integer d = consumer.poll(Duration.ofMillis(10));
                if (d != null && d != -1) {
                    assertTrue(seen.add(d), "message " + d + " put twice");
                }
            }
            last.join();
            for (Probe<Object> p : probes) {
                awaitSettled(p);
                if (p.completed && (!offer || Boolean.TRUE.equals(p.values.isEmpty() ? null : p.values.get(0)))) {
                    completed.add(p.id);
                }
            }
            Integer m;
            while ((m = consumer.poll()) != null) {
                if (m != -1) {
                    assertTrue(seen.add(m), "message " + m + " put twice");
                }
            }
        }
        for (Integer c : completed) {
            assertTrue(seen.contains(c), "a put that completed is missing: " + c);
        }
        System.out.println((offer ? "offer" : "put") + ": " + races() + " cancel races, " + completed.size()
                + " completed, " + (seen.size() - completed.size()) + " put though cancelled first");
        assertTrue(!completed.isEmpty() && completed.size() < races(), "both outcomes must occur");
    }

    private static void awaitSettled(Probe<?> p) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!p.settled()) {
            assertTrue(System.nanoTime() < deadline, "a subscription did not settle");
            Thread.onSpinWait();
        }
    }

    // ---- harness ----

    /** A subscriber that hands its subscription to the canceller and records what it is given. */
    private final class Probe<T> implements CoreSubscriber<T> {
        final List<T> values = new ArrayList<>();
        private final java.util.function.Consumer<T> onValue;
        volatile Subscription subscription;
        volatile boolean completed;
        volatile boolean terminated;
        volatile boolean handled;
        int id;

        Probe(java.util.function.Consumer<T> onValue) {
            this.onValue = onValue;
        }

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            canceller.take(this); // the cancel may now arrive at any point of the request below
            s.request(1);
        }

        @Override
        public void onNext(T t) {
            synchronized (values) {
                values.add(t);
            }
            onValue.accept(t);
        }

        @Override
        public void onError(Throwable t) {
            violations.incrementAndGet();
            t.printStackTrace();
            terminated = true;
        }

        @Override
        public void onComplete() {
            completed = true;
            terminated = true;
        }

        /** Nothing more will happen: it terminated, or its cancel won (the waiter left WAITING and GRANTED). */
        boolean settled() {
            if (!handled) {
                return false;
            }
            if (terminated) {
                return true;
            }
            Subscription s = subscription;
            if (s instanceof Waiter) {
                return ((Waiter) s).isSettled();
            }
            return true; // put's then(): decided by the closing put of the same handle
        }
    }

    /**
     * A thread that cancels each subscription it is handed after a random short spin. The test
     * thread runs at most a few subscriptions ahead of it, so cancels land close to the grants.
     */
    private static final class Canceller {
        private static final int AHEAD = 4;
        private final java.util.concurrent.ConcurrentLinkedQueue<Probe<?>> next =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final AtomicInteger queued = new AtomicInteger();
        private final Thread thread = new Thread(this::run, "canceller");
        private volatile boolean stop;

        Canceller() {
            thread.setDaemon(true);
            thread.start();
        }

        void take(Probe<?> probe) {
            while (queued.get() >= AHEAD) {
                Thread.onSpinWait();
            }
            queued.incrementAndGet();
            next.add(probe);
        }

        private void run() {
            SplittableRandom random = new SplittableRandom(3);
            while (!stop) {
                Probe<?> p = next.poll();
                if (p == null) {
                    Thread.onSpinWait();
                    continue;
                }
                for (int spins = random.nextInt(200); spins > 0; spins--) {
                    Thread.onSpinWait();
                }
                p.subscription.cancel();
                p.handled = true;
                queued.decrementAndGet();
            }
        }

        void stop() throws InterruptedException {
            stop = true;
            thread.join(10_000);
            assertFalse(thread.isAlive());
        }
    }
}
