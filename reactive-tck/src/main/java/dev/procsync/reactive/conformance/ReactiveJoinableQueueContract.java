package dev.procsync.reactive.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procsync.reactive.ReactiveJoinableQueue;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * The contract of {@link ReactiveJoinableQueue}'s task count, for any backend: two handles (a
 * producer and a worker) on one fresh joinable queue of strings holding at most {@link #CAPACITY}
 * messages. The queue behaviour itself is {@link ReactiveQueueContract}'s.
 *
 * <p>Every behaviour here holds on both backends: each put (from any handle) adds a task, each
 * {@code taskDone()} (from any handle) finishes one, and {@code join()} completes once none is
 * unfinished. How a join learns of the last {@code taskDone()} differs (a futex word on shared
 * memory; a publish, with a re-check at the poll interval, on Redis); neither loses it.
 */
public abstract class ReactiveJoinableQueueContract {
    protected static final Duration WAIT = Duration.ofSeconds(20);
    protected static final int CAPACITY = 8;

    protected ReactiveJoinableQueue<String> producer;
    protected ReactiveJoinableQueue<String> worker;

    /** A handle on a fresh joinable queue of strings holding at most {@code capacity} messages. */
    protected abstract ReactiveJoinableQueue<String> open(String name, int capacity);

    /** Cleans up the backend. */
    protected abstract void tearDown();

    @BeforeEach
    void openHandles() {
        producer = open("joinable-contract", CAPACITY);
        worker = open("joinable-contract", CAPACITY);
    }

    @AfterEach
    void closeHandles() {
        producer.close();
        worker.close();
        tearDown();
    }

    @Test
    void shouldCompleteJoinAtOnceWhenNothingIsUnfinished() {
        StepVerifier.create(producer.join()).expectComplete().verify(WAIT);
        StepVerifier.create(worker.join(Duration.ZERO)).expectComplete().verify(WAIT);
    }

    @Test
    void shouldCompleteJoinWhenEveryTaskIsDone() {
        producer.put("a").then(producer.put("b")).block(WAIT);
        StepVerifier.create(producer.join())
                .expectSubscription()
                .then(() -> worker.take().then(worker.taskDone()).block(WAIT))
                .expectNoEvent(Duration.ofMillis(30))
                .then(() -> worker.take().then(worker.taskDone()).block(WAIT))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void shouldCountTasksPutThroughEveryHandle() {
        StepVerifier.create(producer.offer("a").then(worker.put("b"))).expectComplete().verify(WAIT);
        StepVerifier.create(producer.join())
                .expectSubscription()
                .then(() -> producer.taskDone().block(WAIT))
                .expectNoEvent(Duration.ofMillis(30))
                .then(() -> worker.taskDone().block(WAIT))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void shouldRefuseMoreTaskDonesThanPuts() {
        producer.put("a").block(WAIT);
        worker.taskDone().block(WAIT);
        StepVerifier.create(worker.taskDone()).expectError(IllegalStateException.class).verify(WAIT);
        StepVerifier.create(producer.join()).expectComplete().verify(WAIT);
    }

    @Test
    void shouldTimeOutAJoinThatCannotComplete() {
        producer.put("pending").block(WAIT);
        StepVerifier.create(worker.join(Duration.ZERO)).expectError(TimeoutException.class).verify(WAIT);
        StepVerifier.withVirtualTime(() -> worker.join(Duration.ofMinutes(1)))
                .expectSubscription()
                .thenAwait(Duration.ofMinutes(1))
                .expectError(TimeoutException.class)
                .verify(WAIT);
        assertEquals("pending", worker.poll().block(WAIT));
    }
}
