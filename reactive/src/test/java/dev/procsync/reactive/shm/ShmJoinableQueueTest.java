package dev.procsync.reactive.shm;

import dev.procsync.codec.Codecs;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveJoinableQueue;
import dev.procsync.reactive.testing.Ns;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class ShmJoinableQueueTest {
    private final Ns ns = new Ns("rxjq");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    @Test
    void shouldCompleteJoinWhenEveryTaskIsDone() {
        try (ReactiveJoinableQueue<String> q = ns.rx.joinableQueue("jq", Codecs.utf8(), QueueBound.messages(8));
                ReactiveJoinableQueue<String> worker = ns.rx.joinableQueue("jq", Codecs.utf8(),
                        QueueBound.messages(8))) {
            StepVerifier.create(q.join()).verifyComplete();
            q.put("a").then(q.put("b")).block(Duration.ofSeconds(5));
            StepVerifier.create(q.join())
                    .expectSubscription()
                    .then(() -> worker.take().then(worker.taskDone()).block(Duration.ofSeconds(5)))
                    .expectNoEvent(Duration.ofMillis(30))
                    .then(() -> worker.take().then(worker.taskDone()).block(Duration.ofSeconds(5)))
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));
            StepVerifier.create(worker.taskDone()).expectError().verify(Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldTimeOutJoinInVirtualTime() {
        try (ReactiveJoinableQueue<String> q = ns.rx.joinableQueue("jq", Codecs.utf8(), QueueBound.messages(8))) {
            q.put("pending").block(Duration.ofSeconds(5));
            StepVerifier.withVirtualTime(() -> q.join(Duration.ofMinutes(1)))
                    .expectSubscription()
                    .thenAwait(Duration.ofMinutes(1))
                    .expectError(TimeoutException.class)
                    .verify(Duration.ofSeconds(10));
        }
    }
}
