package dev.procsync.reactive.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.reactive.ReactiveQueue;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The contract of {@link ReactiveQueue}, for any backend: two handles on one fresh queue of
 * strings that holds at most {@link #CAPACITY} messages.
 *
 * <p>Per backend: FIFO from one producer, demand-driven receive and backpressured send hold on
 * both. Delivery is exactly once on shared memory and at least once on Redis (an item in flight
 * with a consumer whose lease expired is redelivered); tested by the backends' own kill tests.
 */
public abstract class ReactiveQueueContract {
    protected static final Duration WAIT = Duration.ofSeconds(20);
    protected static final int CAPACITY = 4;

    protected ReactiveQueue<String> queue;
    protected ReactiveQueue<String> other;

    /** A handle on a fresh queue of strings holding at most {@code capacity} messages. */
    protected abstract ReactiveQueue<String> open(String name, int capacity);

    /** Cleans up the backend. */
    protected abstract void tearDown();

    @BeforeEach
    void openHandles() {
        queue = open("queue-contract", CAPACITY);
        other = open("queue-contract", CAPACITY);
    }

    @AfterEach
    void closeHandles() {
        queue.close();
        other.close();
        tearDown();
    }

    @Test
    void shouldOfferAndPollInOrder() {
        StepVerifier.create(queue.offer("a").then(queue.offer("b"))).expectNext(true).verifyComplete();
        StepVerifier.create(other.poll()).expectNext("a").verifyComplete();
        StepVerifier.create(other.poll()).expectNext("b").verifyComplete();
        StepVerifier.create(other.poll()).verifyComplete();
    }

    @Test
    void shouldRefuseOfferWhenFull() {
        for (int i = 0; i < CAPACITY; i++) {
            assertEquals(Boolean.TRUE, queue.offer("m" + i).block(WAIT));
        }
        StepVerifier.create(queue.offer("one too many")).expectNext(false).verifyComplete();
    }

    @Test
    void shouldCompletePendingTakeWhenAnotherHandlePuts() {
        StepVerifier.create(queue.take())
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(30))
                .then(() -> other.put("hello").block(WAIT))
                .expectNext("hello")
                .verifyComplete();
    }

    @Test
    void shouldHoldPutWhileFullUntilSomeoneTakes() {
        for (int i = 0; i < CAPACITY; i++) {
            queue.put("m" + i).block(WAIT);
        }
        StepVerifier.create(queue.put("late"))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(30))
                .then(() -> other.poll().block(WAIT))
                .verifyComplete();
    }

    @Test
    void shouldDequeueOnlyAgainstDemand() {
        for (int i = 0; i < 3; i++) {
            queue.put("m" + i).block(WAIT);
        }
        StepVerifier.create(other.receive(), 1)
                .expectNext("m0")
                .expectNoEvent(Duration.ofMillis(30))
                .thenCancel()
                .verify(WAIT);
        StepVerifier.create(queue.poll()).expectNext("m1").verifyComplete();
        StepVerifier.create(queue.poll()).expectNext("m2").verifyComplete();
    }

    @Test
    void shouldBackpressureSendByTheQueueCapacity() {
        AtomicInteger requested = new AtomicInteger();
        Flux<String> source = Flux.range(0, 20).map(i -> "s" + i).doOnRequest(n -> requested.addAndGet((int) n));
        Disposable sending = queue.send(source).subscribe();
        try {
            List<String> got = Await.value(other.receive().take(20).collectList(), WAIT, "receive");
            assertEquals(20, got.size());
            assertEquals("s0", got.get(0));
            assertEquals("s19", got.get(19));
            // A send may request ahead what the queue has room for, never more than its capacity.
            assertTrue(requested.get() <= 20 + CAPACITY, "requested " + requested.get());
        } finally {
            sending.dispose();
        }
    }

    @Test
    void shouldSendEveryItemInOrderThroughASmallQueue() {
        int n = 100;
        Disposable sending = queue.send(Flux.range(0, n).map(i -> "s" + i)).subscribe();
        try {
            List<String> got = other.receive().take(n).collectList().block(WAIT);
            assertEquals(Flux.range(0, n).map(i -> "s" + i).collectList().block(), got);
        } finally {
            sending.dispose();
        }
    }

    @Test
    void shouldNotRequestMoreThanTheQueueHoldsWhileNobodyTakes() {
        AtomicInteger emitted = new AtomicInteger();
        Flux<String> source = Flux.range(0, 1000).map(i -> "s" + i).doOnNext(s -> emitted.incrementAndGet());
        StepVerifier.create(queue.send(source))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(100))
                .thenCancel()
                .verify(WAIT);
        assertTrue(emitted.get() <= CAPACITY + 1, "emitted " + emitted.get() + " into a queue of " + CAPACITY);
    }

    /**
     * Receivers cancelled at random moments (by the test thread, racing deliveries) and after a
     * random batch. The subscriber records every item it is given, including one delivered after
     * its cancel (Reactive Streams rule 2.8), so a loss can only be the queue's.
     */
    @Test
    void shouldLoseNoMessageWhenReceiversAreCancelledAtRandom() {
        int messages = 300;
        Random random = new Random(7);
        Disposable producer = queue.send(Flux.range(0, messages).map(String::valueOf)).subscribe();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new CopyOnWriteArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (seen.size() < messages) {
                assertTrue(System.nanoTime() < deadline, "lost: received only " + seen.size() + " of " + messages);
                int batch = 1 + random.nextInt(5);
                BaseSubscriber<String> receiver = new BaseSubscriber<>() {
                    private int got;

                    @Override
                    protected void hookOnNext(String m) {
                        if (!seen.add(m)) {
                            duplicates.add(m);
                        }
                        if (++got == batch) {
                            cancel();
                        }
                    }
                };
                other.receive().subscribe(receiver);
                LockSupport.parkNanos(random.nextInt(3_000_000)); // a random moment, not a handshake
                receiver.cancel();
                String polled = other.poll().block(WAIT);
                if (polled != null && !seen.add(polled)) {
                    duplicates.add(polled);
                }
            }
        } finally {
            producer.dispose();
        }
        assertEquals(List.of(), duplicates);
        assertEquals(messages, seen.size());
        StepVerifier.create(Mono.zip(queue.poll().hasElement(), other.poll().hasElement()))
                .assertNext(t -> assertEquals(List.of(false, false), List.of(t.getT1(), t.getT2())))
                .verifyComplete();
    }
}
