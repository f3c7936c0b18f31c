package dev.procsync.reactive.conformance;

import dev.procsync.reactive.ReactiveValue;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The contract of {@link ReactiveValue} over longs, for any backend: two handles on one fresh value
 * (0). Every behaviour holds on both backends; {@code changes()} conflates on both.
 */
public abstract class ReactiveValueContract {
    protected static final Duration WAIT = Duration.ofSeconds(10);

    protected ReactiveValue<Long> value;
    protected ReactiveValue<Long> other;

    /** A handle on a fresh long value named {@code name}, initially 0. */
    protected abstract ReactiveValue<Long> open(String name);

    /** Cleans up the backend. */
    protected abstract void tearDown();

    @BeforeEach
    void openHandles() {
        value = open("value-contract");
        other = open("value-contract");
    }

    @AfterEach
    void closeHandles() {
        value.close();
        other.close();
        tearDown();
    }

    @Test
    void shouldSeeWhatAnotherHandleSet() {
        StepVerifier.create(value.get()).expectNext(0L).verifyComplete();
        StepVerifier.create(other.set(42L).then(value.get())).expectNext(42L).verifyComplete();
    }

    @Test
    void shouldCompareAndSet() {
        StepVerifier.create(value.compareAndSet(0L, 5L)).expectNext(true).verifyComplete();
        StepVerifier.create(other.compareAndSet(0L, 6L)).expectNext(false).verifyComplete();
        StepVerifier.create(other.get()).expectNext(5L).verifyComplete();
    }

    @Test
    void shouldDoNothingUntilSubscribed() {
        Mono<Void> set = value.set(9L);
        StepVerifier.create(other.get()).expectNext(0L).verifyComplete();
        set.block(WAIT);
        StepVerifier.create(other.get()).expectNext(9L).verifyComplete();
    }

    @Test
    void shouldEmitCurrentValueThenEveryChange() {
        StepVerifier.create(value.changes())
                .expectNext(0L)
                .then(() -> other.set(1L).block(WAIT))
                .expectNext(1L)
                .then(() -> other.set(2L).block(WAIT))
                .expectNext(2L)
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void shouldNotEmitTheSameValueTwiceInARow() {
        StepVerifier.create(value.changes())
                .expectNext(0L)
                .then(() -> other.set(0L).block(WAIT))
                .expectNoEvent(Duration.ofMillis(30))
                .then(() -> other.set(3L).block(WAIT))
                .expectNext(3L)
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void shouldConflateForASlowSubscriber() {
        StepVerifier.create(value.changes(), 1)
                .expectNext(0L)
                .then(() -> {
                    for (long i = 1; i <= 50; i++) {
                        other.set(i).block(WAIT);
                    }
                })
                .thenRequest(1)
                .expectNext(50L)
                .thenCancel()
                .verify(WAIT);
    }
}
