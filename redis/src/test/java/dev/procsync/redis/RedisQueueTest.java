package dev.procsync.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procsync.codec.Codecs;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveQueue;
import dev.procsync.reactive.conformance.ReactiveQueueContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The queue contract on Redis, and what only this backend does (its bound in bytes, undecodable items, close). */
class RedisQueueTest extends ReactiveQueueContract {
    private static Backend backend;

    @BeforeAll
    static void startServer() {
        // Nothing dies here: a long lease keeps a live consumer's items its own on a loaded machine.
        backend = new Backend(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopServer() {
        backend.close();
    }

    @Override
    protected ReactiveQueue<String> open(String name, int capacity) {
        return backend.rx().queue(name, Codecs.utf8(), QueueBound.messages(capacity));
    }

    @Override
    protected void tearDown() {
        backend.reset();
    }

    @Test
    void shouldEndReceiveWithTheClosedExceptionWhenTheHandleCloses() {
        ReactiveQueue<String> closing = open("queue-contract", CAPACITY);
        StepVerifier.create(closing.receive())
                .expectSubscription()
                .then(closing::close)
                .expectError(RedisClosedException.class)
                .verify(WAIT);
        StepVerifier.create(closing.poll()).expectError(RedisClosedException.class).verify(WAIT);
    }

    @Test
    void shouldRefuseAMessageLongerThanTheBoundsBytes() {
        try (ReactiveQueue<String> small = backend.rx().queue("small", Codecs.utf8(), QueueBound.of(4, 8))) {
            StepVerifier.create(small.offer("nine byte")).expectError(IllegalArgumentException.class).verify(WAIT);
            StepVerifier.create(small.offer("eight by")).expectNext(true).verifyComplete();
        }
    }

    @Test
    void shouldDropAnItemNobodyCanDecodeAndGoOn() {
        try (ReactiveQueue<String> text = backend.rx().queue("mixed", Codecs.utf8(), QueueBound.messages(4));
                ReactiveQueue<Long> longs = backend.rx().queue("mixed", Codecs.int64(), QueueBound.messages(4))) {
            text.put("abc").then(longs.put(7L)).block(WAIT);
            StepVerifier.create(longs.receive()).expectError(IllegalArgumentException.class).verify(WAIT);
            StepVerifier.create(longs.poll()).expectNext(7L).verifyComplete();
            StepVerifier.create(longs.poll()).verifyComplete();
        }
    }

    @Test
    void shouldDeliverEachItemToExactlyOneOfSeveralConsumers() {
        int messages = 200;
        List<ReactiveQueue<String>> consumers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            consumers.add(open("queue-contract", CAPACITY));
        }
        try {
            Flux<String> all = Flux.merge(consumers.stream()
                    .map(c -> c.receive().subscribeOn(Schedulers.boundedElastic())).toList());
            StepVerifier.create(all.take(messages).collectList())
                    .then(() -> queue.send(Flux.range(0, messages).map(String::valueOf)).subscribe())
                    .assertNext(got -> {
                        assertEquals(messages, got.size());
                        assertEquals(messages, new TreeSet<>(got).size(), "each item once");
                    })
                    .verifyComplete();
        } finally {
            consumers.forEach(ReactiveQueue::close);
        }
    }
}
