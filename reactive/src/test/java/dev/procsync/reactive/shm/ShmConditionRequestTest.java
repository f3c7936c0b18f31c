package dev.procsync.reactive.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveCondition;
import dev.procsync.reactive.testing.Ns;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

/** A condition wait does nothing before it is requested: subscribing alone keeps the lock (Reactive Streams 3.x). */
class ShmConditionRequestTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Ns ns = new Ns("rxcondreq");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    /** A subscriber that requests only when told. */
    private static final class Lazy extends BaseSubscriber<Object> {
        final AtomicBoolean completed = new AtomicBoolean();

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            // no request
        }

        @Override
        protected void hookOnComplete() {
            completed.set(true);
        }
    }

    private static boolean lockIsFree(ReactiveCondition other) {
        Permit p = other.tryAcquire().block(WAIT);
        if (p == null) {
            return false;
        }
        p.close();
        return true;
    }

    private static void awaitFree(ReactiveCondition other) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!lockIsFree(other)) {
            assertTrue(System.nanoTime() < deadline, "the requested wait never released the lock");
            Thread.onSpinWait();
        }
    }

    @Test
    void shouldKeepTheLockUntilTheWaitIsRequested() {
        for (String lockKind : new String[] {"rlock", "lock"}) {
            try (ReactiveCondition condition = open(lockKind); ReactiveCondition other = open(lockKind)) {
                Permit permit = condition.acquire().block(WAIT);
                assertNotNull(permit);
                Lazy waiter = new Lazy();
                condition.await(permit).subscribe(waiter);
                assertFalse(lockIsFree(other), lockKind + ": subscribing to await released the lock");
                waiter.request(1);
                awaitFree(other);
                other.withPermit(p -> other.signal(1)).block(WAIT);
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!waiter.completed.get()) {
                    assertTrue(System.nanoTime() < deadline, lockKind + ": the signalled wait never completed");
                    Thread.onSpinWait();
                }
                assertFalse(lockIsFree(other), lockKind + ": the completed wait does not hold the lock again");
                permit.release().block(WAIT);
                assertTrue(lockIsFree(other));
            }
        }
    }

    @Test
    void shouldDoNothingWhenCancelledBeforeTheRequest() {
        try (ReactiveCondition condition = open("rlock"); ReactiveCondition other = open("rlock")) {
            Permit permit = condition.acquire().block(WAIT);
            assertNotNull(permit);
            Lazy waiter = new Lazy();
            condition.await(permit).subscribe(waiter);
            waiter.cancel();
            waiter.request(1); // after cancel: nothing
            assertFalse(lockIsFree(other), "a cancelled, never-requested wait released the lock");
            assertEquals(Boolean.FALSE, waiter.completed.get());
            permit.release().block(WAIT);
            assertTrue(lockIsFree(other));
        }
    }

    private ReactiveCondition open(String lockKind) {
        return "lock".equals(lockKind) ? ns.rx.condition("c-" + lockKind, "l") : ns.rx.condition("c-" + lockKind);
    }
}
