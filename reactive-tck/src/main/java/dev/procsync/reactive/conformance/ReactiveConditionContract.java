package dev.procsync.reactive.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveCondition;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/**
 * The contract of {@link ReactiveCondition}, for any backend: two handles on one fresh condition.
 * Every behaviour holds on both backends.
 */
public abstract class ReactiveConditionContract {
    protected static final Duration WAIT = Duration.ofSeconds(10);

    protected ReactiveCondition condition;
    protected ReactiveCondition other;

    /** A handle on a fresh condition named {@code name}. */
    protected abstract ReactiveCondition open(String name);

    /** Cleans up the backend. */
    protected abstract void tearDown();

    @BeforeEach
    void openHandles() {
        condition = open("cond-contract");
        other = open("cond-contract");
    }

    @AfterEach
    void closeHandles() {
        condition.close();
        other.close();
        tearDown();
    }

    private boolean lockIsFree() {
        Permit p = other.tryAcquire().block(WAIT);
        if (p == null) {
            return false;
        }
        p.close();
        return true;
    }

    /** Signals once, holding the lock through the other handle. */
    private void signalOnce() {
        other.withPermit(p -> other.signal(1)).block(WAIT);
    }

    @Test
    void shouldReleaseTheLockWhileWaitingAndHoldItAgainWhenSignalled() {
        Permit held = Await.value(condition.acquire(), WAIT, "acquire");
        StepVerifier.create(condition.await(held))
                .expectSubscription()
                .then(() -> assertTrue(lockIsFree(), "a waiting condition must release its lock"))
                .then(this::signalOnce)
                .expectComplete()
                .verify(WAIT);
        assertFalse(lockIsFree(), "the permit holds the lock again after the wait");
        held.close();
        assertTrue(lockIsFree());
    }

    @Test
    void shouldReturnFalseOnTimeoutWithTheLockHeldAgain() {
        Permit held = Await.value(condition.acquire(), WAIT, "acquire");
        StepVerifier.create(condition.await(held, Duration.ofMillis(50))).expectNext(false).verifyComplete();
        assertFalse(lockIsFree());
        held.close();
        assertTrue(lockIsFree());
    }

    @Test
    void shouldReacquireForThePermitWhenTheWaitIsCancelled() {
        Permit held = Await.value(condition.acquire(), WAIT, "acquire");
        Disposable waiting = condition.await(held).subscribe();
        assertTrue(lockIsFree());
        waiting.dispose();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (lockIsFree()) {
            assertTrue(System.nanoTime() < deadline, "the lock was never re-acquired for the permit");
            Thread.onSpinWait();
        }
        held.close();
        assertTrue(lockIsFree());
    }

    @Test
    void shouldRefuseToWaitWithAReleasedPermit() {
        Permit held = Await.value(condition.acquire(), WAIT, "acquire");
        held.close();
        StepVerifier.create(condition.await(held)).expectError().verify(WAIT);
        assertTrue(lockIsFree());
    }

    @Test
    void shouldWakeEveryWaiterOnSignalAll() throws InterruptedException {
        Permit a = Await.value(condition.acquire(), WAIT, "acquire");
        CountDownLatch secondDone = new CountDownLatch(1);
        StepVerifier.create(condition.await(a))
                .expectSubscription()
                .then(() -> {
                    Permit b = Await.value(other.acquire(), WAIT, "acquire");
                    other.await(b).subscribe(v -> { }, e -> { }, () -> {
                        b.close();
                        secondDone.countDown();
                    });
                    other.withPermit(p -> other.signalAll()).block(WAIT);
                })
                .expectComplete()
                .verify(WAIT);
        a.close();
        assertTrue(secondDone.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the second waiter was not woken");
        assertTrue(lockIsFree());
    }
}
