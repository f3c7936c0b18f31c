package dev.procsync.reactive.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveLock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.util.context.Context;

/**
 * The contract of {@link ReactiveLock}, for any backend: a subclass supplies two handles on one
 * fresh lock. Every wait is bounded by {@link #WAIT}.
 *
 * <p>Per backend: mutual exclusion, cold acquires, cancel-safety and release-on-close hold on
 * both, as tested here. Holder death differs in speed, not outcome: shared memory hands the lock
 * to a waiter within the liveness sweep; Redis when the holder's watchdog lease expires (tested
 * by each backend's cross-process kill tests).
 */
public abstract class ReactiveLockContract {
    protected static final Duration WAIT = Duration.ofSeconds(10);

    protected ReactiveLock lock;
    protected ReactiveLock other;

    /** A handle on a fresh lock named {@code name}. */
    protected abstract ReactiveLock open(String name);

    /**
     * The backend's closed-handle exception, which pending acquires end with when their handle is
     * closed (a {@link RuntimeException} by default; backends name their own).
     */
    protected Class<? extends Throwable> closedException() {
        return RuntimeException.class;
    }

    /** Cleans up the backend. */
    protected abstract void tearDown();

    @BeforeEach
    void openHandles() {
        lock = open("contract");
        other = open("contract");
    }

    @AfterEach
    void closeHandles() {
        lock.close();
        other.close();
        tearDown();
    }

    private Permit hold() {
        return Await.value(lock.acquire(), WAIT, "acquire");
    }

    private boolean locked() {
        return Boolean.TRUE.equals(other.isLocked().block(WAIT));
    }

    @Test
    void shouldEmitPermitWhenFree() {
        StepVerifier.create(lock.acquire()).assertNext(p -> assertFalse(p.isReleased())).verifyComplete();
        assertTrue(locked());
    }

    @Test
    void shouldDoNothingUntilRequested() {
        Mono<Permit> acquire = lock.acquire();
        assertFalse(locked(), "assembling must not acquire");
        StepVerifier.create(acquire, 0).expectSubscription().then(() -> assertFalse(locked()))
                .thenRequest(1).expectNextCount(1).verifyComplete();
        assertTrue(locked());
    }

    @Test
    void shouldCompleteEmptyTryAcquireWhenHeld() {
        Permit held = hold();
        StepVerifier.create(other.tryAcquire()).verifyComplete();
        held.close();
        StepVerifier.create(other.tryAcquire()).expectNextCount(1).verifyComplete();
    }

    @Test
    void shouldCompletePendingAcquireWhenReleased() {
        Permit held = hold();
        StepVerifier.create(other.acquire())
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .then(held::close)
                .assertNext(p -> assertTrue(locked()))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void shouldReleaseLazilyAndOnce() {
        Permit held = hold();
        Mono<Void> release = held.release();
        assertTrue(locked(), "release() must be lazy");
        StepVerifier.create(release).verifyComplete();
        assertFalse(locked());
        assertTrue(held.isReleased());
        Permit next = hold();
        StepVerifier.create(release).verifyComplete();
        held.close();
        assertTrue(locked(), "a second release of a released permit must not release the next holder");
        next.close();
        assertFalse(locked());
    }

    @Test
    void shouldErrorWithTimeoutExceptionWhenHeldTooLong() {
        Permit held = hold();
        StepVerifier.create(other.acquire(Duration.ofMillis(100)))
                .expectError(TimeoutException.class)
                .verify(WAIT);
        held.close();
        assertFalse(locked(), "a timed-out acquire holds nothing");
    }

    @Test
    void shouldTimeOutInVirtualTime() {
        Permit held = hold();
        StepVerifier.withVirtualTime(() -> other.acquire(Duration.ofHours(1)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMinutes(59))
                .thenAwait(Duration.ofMinutes(1))
                .expectError(TimeoutException.class)
                .verify(WAIT);
        held.close();
        assertFalse(locked());
    }

    @Test
    void shouldOnlyTryWithZeroTimeout() {
        Permit held = hold();
        StepVerifier.create(other.acquire(Duration.ZERO)).expectError(TimeoutException.class).verify(WAIT);
        held.close();
        StepVerifier.create(other.acquire(Duration.ZERO)).expectNextCount(1).verifyComplete();
    }

    @Test
    void shouldOnlyTryOnANegativeTimeoutAndRejectNull() {
        Permit held = hold();
        StepVerifier.create(other.acquire(Duration.ofMillis(-1))).expectError(TimeoutException.class).verify(WAIT);
        held.close();
        StepVerifier.create(other.acquire(Duration.ofDays(-1))).assertNext(Permit::close).verifyComplete();
        // null on purpose, past NullAway: the contract is a NullPointerException.
        @SuppressWarnings("NullAway")
        Executable passingNull = () -> lock.acquire(null);
        assertThrows(NullPointerException.class, passingNull);
    }

    @Test
    void shouldAcquireNothingWhenCancelledWhilePending() {
        Permit held = hold();
        AtomicReference<Permit> leaked = new AtomicReference<>();
        Disposable pending = other.acquire().subscribe(leaked::set);
        pending.dispose();
        held.close();
        // The released lock must be free for a third party: the cancelled waiter took nothing.
        Permit third = Await.value(other.acquire(), WAIT, "acquire");
        assertEquals(null, leaked.get());
        third.close();
        assertFalse(locked());
    }

    @Test
    void shouldPassTheLockOnPastCancelledWaiters() {
        Permit held = hold();
        Disposable first = other.acquire().subscribe();
        StepVerifier.FirstStep<Permit> second = StepVerifier.create(other.acquire());
        first.dispose();
        held.close();
        second.expectNextCount(1).expectComplete().verify(WAIT);
    }

    @Test
    void shouldReleaseWithPermitOnCompleteErrorAndCancel() {
        StepVerifier.create(lock.withPermitMany(p -> Flux.just(1, 2))).expectNext(1, 2).verifyComplete();
        assertFalse(locked());
        StepVerifier.create(lock.withPermit(p -> Mono.error(new IllegalStateException("boom"))))
                .expectError(IllegalStateException.class).verify(WAIT);
        assertFalse(locked());
        TestPublisher<Integer> body = TestPublisher.create();
        StepVerifier.create(lock.withPermitMany(p -> body))
                .expectSubscription()
                .then(() -> assertTrue(within(WAIT, body::wasSubscribed), "the body never ran"))
                .then(() -> assertTrue(locked()))
                .thenCancel()
                .verify(WAIT);
        // Both backends give the permit back on cancel; a remote backend's release is a round trip
        // that completes after cancel() returns, so the lock must be free within WAIT, not at once.
        assertTrue(within(WAIT, () -> !locked()), "the permit of a cancelled withPermitMany was not given back");
    }

    private static boolean within(Duration wait, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000L);
        }
        return true;
    }

    @Test
    void shouldErrorPendingAcquiresWhenTheirHandleIsClosed() {
        Permit held = hold();
        StepVerifier.create(other.acquire())
                .expectSubscription()
                .then(other::close)
                .expectError(closedException())
                .verify(WAIT);
        held.close();
        assertFalse(Boolean.TRUE.equals(lock.isLocked().block(WAIT)));
    }

    @Test
    void shouldKeepSubscriberContext() {
        Permit held = hold();
        Mono<String> seen = other.acquire()
                .flatMap(p -> Mono.deferContextual(ctx -> Mono.just(ctx.<String>get("who"))).doFinally(s -> p.close()));
        StepVerifier.create(seen.contextWrite(Context.of("who", "me")))
                .expectSubscription()
                .then(held::close)
                .expectNext("me")
                .verifyComplete();
    }
}
