package dev.procsync.reactive.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.procsync.reactive.ReactiveBarrier;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The contract of {@link ReactiveBarrier}, for any backend: two handles on one fresh barrier of 3
 * parties. Every behaviour holds on both backends. A waiting party's death breaks the barrier on
 * both (shared memory: the liveness sweep; Redis: the party's arrival lease), which each backend's
 * cross-process tests check, not this suite.
 */
public abstract class ReactiveBarrierContract {
    protected static final Duration WAIT = Duration.ofSeconds(10);
    protected static final int PARTIES = 3;

    protected ReactiveBarrier barrier;
    protected ReactiveBarrier other;

    /** A handle on a fresh barrier named {@code name} for {@code parties} parties. */
    protected abstract ReactiveBarrier open(String name, int parties);

    /** Cleans up the backend. */
    protected abstract void tearDown();

    @BeforeEach
    void openHandles() {
        barrier = open("barrier-contract", PARTIES);
        other = open("barrier-contract", PARTIES);
    }

    @AfterEach
    void closeHandles() {
        barrier.close();
        other.close();
        tearDown();
    }

    @Test
    void shouldTripWhenEveryPartyHasArrivedAndGiveDistinctIndexes() {
        for (int round = 0; round < 3; round++) {
            List<Integer> indexes = Flux.merge(barrier.arrive(), other.arrive(), barrier.arrive())
                    .sort().collectList().block(WAIT);
            assertEquals(List.of(0, 1, 2), indexes, "round " + round);
        }
    }

    @Test
    void shouldWaitUntilTheLastPartyArrives() {
        StepVerifier.create(Flux.merge(barrier.arrive(), other.arrive()).collectList())
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .then(() -> barrier.arrive().subscribe())
                .assertNext(l -> assertEquals(2, l.size()))
                .verifyComplete();
    }

    @Test
    void shouldDoNothingUntilSubscribed() {
        barrier.arrive();
        other.arrive();
        StepVerifier.create(Flux.merge(barrier.arrive(), other.arrive()).collectList())
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(30))
                .then(() -> other.arrive().subscribe())
                .assertNext(l -> assertEquals(2, l.size()))
                .verifyComplete();
    }

    @Test
    void shouldBreakForEveryoneWhenAnArrivalIsCancelled() {
        StepVerifier.create(other.arrive())
                .expectSubscription()
                .then(() -> {
                    Disposable d = barrier.arrive().subscribe(i -> { }, e -> { });
                    d.dispose();
                })
                .expectError(BrokenBarrierException.class)
                .verify(WAIT);
        StepVerifier.create(barrier.arrive()).expectError(BrokenBarrierException.class).verify(WAIT);
        barrier.reset().block(WAIT);
        List<Integer> indexes = Flux.merge(barrier.arrive(), other.arrive(), barrier.arrive())
                .sort().collectList().block(WAIT);
        assertEquals(List.of(0, 1, 2), indexes);
    }

    @Test
    void shouldTimeOutInVirtualTimeAndBreakTheRound() {
        StepVerifier.withVirtualTime(() -> barrier.arrive(Duration.ofSeconds(30)))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(30))
                .expectError(TimeoutException.class)
                .verify(WAIT);
        StepVerifier.create(other.arrive()).expectError(BrokenBarrierException.class).verify(WAIT);
    }

    @Test
    void shouldErrorWaitingPartiesOnAbort() {
        StepVerifier.create(barrier.arrive())
                .expectSubscription()
                .then(() -> other.abort().block(WAIT))
                .expectError(BrokenBarrierException.class)
                .verify(WAIT);
        // null on purpose, past NullAway: the contract is a NullPointerException.
        @SuppressWarnings("NullAway")
        Executable passingNull = () -> barrier.arrive(null);
        assertThrows(NullPointerException.class, passingNull);
    }
}
