package dev.procsync.reactive.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveSemaphore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The contract of {@link ReactiveSemaphore}, for any backend: a subclass supplies two handles on
 * one fresh semaphore with {@link #PERMITS} permits.
 *
 * <p>Per backend: counting, cold and cancel-safe acquires hold on both. A dead holder's permits:
 * lost on shared memory (as in Python), returned when their lease expires on Redis; tested by the
 * backends' own cross-process tests.
 */
public abstract class ReactiveSemaphoreContract {
    protected static final Duration WAIT = Duration.ofSeconds(10);
    protected static final int PERMITS = 3;

    protected ReactiveSemaphore semaphore;
    protected ReactiveSemaphore other;

    /** A handle on a fresh semaphore named {@code name} with {@code permits} permits. */
    protected abstract ReactiveSemaphore open(String name, int permits);

    /** Cleans up the backend. */
    protected abstract void tearDown();

    @BeforeEach
    void openHandles() {
        semaphore = open("sem-contract", PERMITS);
        other = open("sem-contract", PERMITS);
    }

    @AfterEach
    void closeHandles() {
        semaphore.close();
        other.close();
        tearDown();
    }

    /** Permits delivered on a Reactor thread, released from the test thread once the step is verified. */
    private final List<Permit> delivered = new CopyOnWriteArrayList<>();

    private void keep(Permit permit) {
        delivered.add(permit);
    }

    /** Releases the delivered permits and waits until each release has taken effect (a round trip on Redis). */
    private void releaseDelivered() {
        delivered.forEach(p -> p.release().block(WAIT));
        delivered.clear();
    }

    private int available() {
        return Await.value(other.availablePermits(), WAIT, "availablePermits");
    }

    private List<Permit> takeAll() {
        List<Permit> all = new ArrayList<>();
        for (int i = 0; i < PERMITS; i++) {
            all.add(semaphore.acquire().block(WAIT));
        }
        return all;
    }

    @Test
    void shouldGrantUpToThePermitCountThenWait() {
        List<Permit> all = takeAll();
        assertEquals(0, available());
        StepVerifier.create(other.acquire())
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .then(() -> all.get(1).close())
                .expectNextCount(1)
                .expectComplete()
                .verify(WAIT);
        all.forEach(Permit::close);
    }

    @Test
    void shouldDoNothingUntilRequested() {
        Mono<Permit> acquire = semaphore.acquire();
        StepVerifier.create(acquire, 0).expectSubscription().then(() -> assertEquals(PERMITS, available()))
                .thenRequest(1).assertNext(this::keep).verifyComplete();
        releaseDelivered();
        assertEquals(PERMITS, available());
    }

    @Test
    void shouldCompleteEmptyTryAcquireWhenNoneFree() {
        List<Permit> all = takeAll();
        StepVerifier.create(other.tryAcquire()).verifyComplete();
        all.forEach(Permit::close);
        assertEquals(PERMITS, available());
    }

    @Test
    void shouldWakePendingAcquiresOnReleaseWithoutPermit() {
        List<Permit> all = takeAll();
        StepVerifier.create(Flux.merge(other.acquire(), other.acquire()).doOnNext(this::keep))
                .expectSubscription()
                .then(() -> other.release(2).block(WAIT))
                .expectNextCount(2)
                .expectComplete()
                .verify(WAIT);
        releaseDelivered();
        // The two raw releases stood in for two of the held permits (a bounded semaphore could not take more).
        all.get(2).close();
        assertEquals(PERMITS, available());
    }

    @Test
    void shouldTimeOutInVirtualTime() {
        List<Permit> all = takeAll();
        StepVerifier.withVirtualTime(() -> other.acquire(Duration.ofMinutes(5)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMinutes(4))
                .thenAwait(Duration.ofMinutes(1))
                .expectError(TimeoutException.class)
                .verify(WAIT);
        all.forEach(Permit::close);
        assertEquals(PERMITS, available(), "a timed-out acquire holds nothing");
    }

    @Test
    void shouldConservePermitsWhenPendingAcquiresAreCancelled() {
        List<Permit> all = takeAll();
        List<Disposable> pending = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pending.add(other.acquire().subscribe());
        }
        pending.forEach(Disposable::dispose);
        all.forEach(Permit::close);
        List<Permit> again = takeAll();
        assertEquals(0, available());
        again.forEach(Permit::close);
        assertEquals(PERMITS, available());
    }

    @Test
    void shouldRejectBadArgumentsNamingTheSemaphore() {
        // null on purpose, past NullAway: the contract is a NullPointerException.
        @SuppressWarnings("NullAway")
        Executable passingNull = () -> semaphore.acquire(null);
        assertThrows(NullPointerException.class, passingNull);
        assertThrows(IllegalArgumentException.class, () -> semaphore.release(0));
    }

    @Test
    void shouldAcquireSeveralPermitsAllOrNone() {
        Permit two = Await.value(semaphore.acquire(2), WAIT, "acquire(2)");
        assertEquals(PERMITS - 2, available());
        StepVerifier.create(other.tryAcquire(2)).expectComplete().verify(WAIT); // only one free: none taken
        assertEquals(PERMITS - 2, available());
        StepVerifier.create(other.acquire(2))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .then(two::close) // both come back at once
                .assertNext(this::keep)
                .expectComplete()
                .verify(WAIT);
        releaseDelivered();
        assertEquals(PERMITS, available());
    }

    @Test
    void shouldTimeOutOrCancelAnAcquireOfSeveralPermitsTakingNone() {
        Permit two = Await.value(semaphore.acquire(2), WAIT, "acquire(2)");
        StepVerifier.create(other.acquire(2, Duration.ofMillis(50)))
                .expectError(TimeoutException.class)
                .verify(WAIT);
        Disposable pending = other.acquire(3).subscribe(Permit::close);
        pending.dispose();
        two.close();
        assertEquals(PERMITS, available());
        Permit all = Await.value(other.acquire(PERMITS, WAIT), WAIT, "acquire(PERMITS)");
        assertEquals(0, available());
        all.close();
        assertThrows(IllegalArgumentException.class, () -> semaphore.acquire(0));
    }
}
