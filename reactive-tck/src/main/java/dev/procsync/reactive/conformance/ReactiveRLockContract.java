package dev.procsync.reactive.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveRLock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The contract of {@link ReactiveRLock}, for any backend: two handles (two owners) on one fresh
 * lock. Every behaviour holds on both backends; holder death is as in {@link ReactiveLockContract}.
 */
public abstract class ReactiveRLockContract {
    protected static final Duration WAIT = Duration.ofSeconds(10);

    protected ReactiveRLock lock;
    protected ReactiveRLock other;

    /** A handle on a fresh reentrant lock named {@code name}. */
    protected abstract ReactiveRLock open(String name);

    /** Cleans up the backend. */
    protected abstract void tearDown();

    @BeforeEach
    void openHandles() {
        lock = open("rlock-contract");
        other = open("rlock-contract");
    }

    @AfterEach
    void closeHandles() {
        lock.close();
        other.close();
        tearDown();
    }

    private Permit take(ReactiveRLock handle) {
        return Await.value(handle.acquire(), WAIT, "acquire");
    }

    @Test
    void shouldReenterThroughTheSameHandleAtOnce() {
        Permit first = take(lock);
        Permit second = Await.value(lock.acquire(Duration.ZERO), WAIT, "acquire");
        StepVerifier.create(lock.holdCount()).expectNext(2).verifyComplete();
        StepVerifier.create(other.tryAcquire()).verifyComplete();
        first.close();
        StepVerifier.create(other.tryAcquire()).verifyComplete();
        second.close();
        StepVerifier.create(lock.holdCount()).expectNext(0).verifyComplete();
        StepVerifier.create(other.tryAcquire()).assertNext(Permit::close).verifyComplete();
    }

    @Test
    void shouldLetAnyThreadReleaseTheHandlesPermits() {
        Permit held = Await.value(lock.acquire().subscribeOn(Schedulers.parallel()), WAIT, "acquire");
        // release() completes once the release has taken effect, on every backend and thread
        StepVerifier.create(held.release().subscribeOn(Schedulers.single())).verifyComplete();
        StepVerifier.create(other.tryAcquire()).assertNext(Permit::close).verifyComplete();
        // close() off a non-blocking thread has taken effect when it returns
        Permit again = Await.value(lock.acquire().subscribeOn(Schedulers.parallel()), WAIT, "acquire");
        StepVerifier.create(Mono.fromRunnable(again::close).subscribeOn(Schedulers.boundedElastic()))
                .verifyComplete();
        StepVerifier.create(other.tryAcquire()).assertNext(Permit::close).verifyComplete();
    }

    @Test
    void shouldCompleteOtherHandlesAcquireWhenEveryHoldIsReleased() {
        Permit a = take(lock);
        Permit b = take(lock);
        StepVerifier.create(other.acquire())
                .expectSubscription()
                .then(a::close)
                .expectNoEvent(Duration.ofMillis(50))
                .then(b::close)
                .assertNext(Permit::close)
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void shouldTimeOutAndCancelWithoutTakingIt() {
        Permit held = take(lock);
        StepVerifier.withVirtualTime(() -> other.acquire(Duration.ofSeconds(10)))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(10))
                .expectError(TimeoutException.class)
                .verify(WAIT);
        Disposable cancelled = other.acquire().subscribe();
        cancelled.dispose();
        held.close();
        StepVerifier.create(other.holdCount()).expectNext(0).verifyComplete();
        Permit again = take(lock);
        assertEquals(1, Await.value(lock.holdCount(), WAIT, "holdCount"));
        again.close();
        assertFalse(Await.value(lock.holdCount(), WAIT, "holdCount") > 0);
    }
}
