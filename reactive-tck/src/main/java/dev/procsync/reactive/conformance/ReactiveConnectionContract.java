package dev.procsync.reactive.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procsync.reactive.ReactiveConnection;
import dev.procsync.reactive.ReactivePipe;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The contract of {@link ReactiveConnection}, for any backend that has pipes: a fresh duplex pipe
 * of strings. The shared-memory backend runs it; the Redis backend has no pipes (use a queue).
 */
public abstract class ReactiveConnectionContract {
    protected static final Duration WAIT = Duration.ofSeconds(10);

    protected ReactivePipe<String> pipe;

    /** Both ends of a fresh duplex pipe of strings named {@code name}. */
    protected abstract ReactivePipe<String> open(String name);

    /** Cleans up the backend. */
    protected abstract void tearDown();

    @BeforeEach
    void openPipe() {
        pipe = open("pipe-contract");
    }

    @AfterEach
    void closePipe() {
        pipe.first().close();
        pipe.second().close();
        tearDown();
    }

    @Test
    void shouldDeliverMessagesInOrderBothWays() {
        Flux.just("a", "b", "c").concatMap(m -> pipe.first().send(m)).blockLast(WAIT);
        StepVerifier.create(pipe.second().receive().take(3)).expectNext("a", "b", "c").verifyComplete();
        pipe.second().send("back").block(WAIT);
        StepVerifier.create(pipe.first().receive().take(1)).expectNext("back").verifyComplete();
    }

    @Test
    void shouldCompleteAPendingReceiveWhenAMessageArrives() {
        StepVerifier.create(pipe.second().receive().take(1))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(30))
                .then(() -> pipe.first().send("late").block(WAIT))
                .expectNext("late")
                .verifyComplete();
    }

    @Test
    void shouldReceiveOnlyAgainstDemand() {
        Flux.just("1", "2", "3").concatMap(m -> pipe.first().send(m)).blockLast(WAIT);
        StepVerifier.create(pipe.second().receive(), 1)
                .expectNext("1")
                .expectNoEvent(Duration.ofMillis(30))
                .thenCancel()
                .verify(WAIT);
        List<String> rest = pipe.second().receive().take(2).collectList().block(WAIT);
        assertEquals(List.of("2", "3"), rest);
    }

    @Test
    void shouldCompleteReceiveAtEndOfFile() {
        pipe.first().send("last").block(WAIT);
        pipe.first().close();
        StepVerifier.create(pipe.second().receive()).expectNext("last").expectComplete().verify(WAIT);
    }
}
