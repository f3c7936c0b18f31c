package dev.procsync.reactive.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.procsync.reactive.ReactiveEvent;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The contract of {@link ReactiveEvent}, for any backend: two handles on one fresh event. Every
 * behaviour holds on both backends; Redis wakes waiters by pub/sub and, should a message be lost
 * to a reconnect, by re-reading the flag at its poll interval.
 */
public abstract class ReactiveEventContract {
    protected static final Duration WAIT = Duration.ofSeconds(10);

    protected ReactiveEvent event;
    protected ReactiveEvent other;

    /** A handle on a fresh, lowered event named {@code name}. */
    protected abstract ReactiveEvent open(String name);

    /** Cleans up the backend. */
    protected abstract void tearDown();

    @BeforeEach
    void openHandles() {
        event = open("event-contract");
        other = open("event-contract");
    }

    @AfterEach
    void closeHandles() {
        event.close();
        other.close();
        tearDown();
    }

    @Test
    void shouldCompleteAtOnceWhenSet() {
        StepVerifier.create(other.set().then(event.await())).verifyComplete();
        assertEquals(Boolean.TRUE, event.isSet().block(WAIT));
    }

    @Test
    void shouldCompleteEveryPendingAwaitWhenSetElsewhere() {
        StepVerifier.create(Flux.merge(event.await(), event.await(), other.await()).then())
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .then(() -> other.set().block(WAIT))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void shouldCompleteWaitersEvenIfClearedRightAfterSet() {
        StepVerifier.create(event.await())
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(20))
                .then(() -> other.set().then(other.clear()).block(WAIT))
                .expectComplete()
                .verify(WAIT);
        assertEquals(Boolean.FALSE, event.isSet().block(WAIT));
    }

    @Test
    void shouldDoNothingUntilSubscribed() {
        Mono<Void> set = event.set();
        assertEquals(Boolean.FALSE, other.isSet().block(WAIT));
        set.block(WAIT);
        assertEquals(Boolean.TRUE, other.isSet().block(WAIT));
    }

    @Test
    void shouldTimeOutInVirtualTime() {
        StepVerifier.withVirtualTime(() -> event.await(Duration.ofSeconds(30)))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(29))
                .thenAwait(Duration.ofSeconds(1))
                .expectError(TimeoutException.class)
                .verify(WAIT);
    }

    @Test
    void shouldOnlyCheckWithZeroTimeout() {
        StepVerifier.create(event.await(Duration.ZERO)).expectError(TimeoutException.class).verify(WAIT);
        other.set().block(WAIT);
        StepVerifier.create(event.await(Duration.ZERO)).verifyComplete();
    }

    @Test
    void shouldLetOtherWaitersCompleteAfterOneIsCancelled() {
        StepVerifier.create(event.await().doOnSubscribe(s -> event.await().subscribe().dispose()))
                .expectSubscription()
                .then(() -> other.set().block(WAIT))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void shouldOnlyCheckOnANegativeTimeoutAndRejectNull() {
        StepVerifier.create(event.await(Duration.ofMillis(-5))).expectError(TimeoutException.class).verify(WAIT);
        // null on purpose, past NullAway: the contract is a NullPointerException.
        @SuppressWarnings("NullAway")
        Executable passingNull = () -> event.await(null);
        assertThrows(NullPointerException.class, passingNull);
    }
}
