package dev.procsync.reactive.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Operations whose primitive has no watch hook are retried by a bounded timed poll. */
class PollModeTest {
    /** Takes one unit of an in-process counter; nothing to sleep on. */
    static final class Take implements WaitOperation<Integer> {
        final AtomicInteger units;
        final AtomicInteger abandoned = new AtomicInteger();

        Take(AtomicInteger units) {
            this.units = units;
        }

        @Override
        public @Nullable Integer tryTake(boolean sweep) {
            int n = units.get();
            // CAS loop: only take a unit that is there.
            while (n > 0) {
                if (units.compareAndSet(n, n - 1)) {
                    return n;
                }
                n = units.get();
            }
            return null;
        }

        @Override
        public long arm() {
            return POLL;
        }

        @Override
        public long address() {
            throw new AssertionError("a POLL operation has no address");
        }

        @Override
        public void abandon() {
            abandoned.incrementAndGet();
        }

        @Override
        public void giveBack(Integer taken) {
            units.incrementAndGet();
        }

        @Override
        public Object key() {
            return units;
        }

        @Override
        public String describe() {
            return "units";
        }
    }

    @Test
    void shouldCompleteByPollingWhenTheResourceAppearsWithoutAWake() {
        AtomicInteger units = new AtomicInteger();
        Take take = new Take(units);
        StepVerifier.create(new WaitMono<>(() -> take, Schedulers::parallel, null, true))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(20))
                .then(units::incrementAndGet) // no FUTEX_WAKE anywhere: only the poll can see it
                .expectNext(1)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertEquals(0, units.get());
    }

    @Test
    void shouldAbandonOnCancelAndTimeoutAndTakeNothing() {
        AtomicInteger units = new AtomicInteger();
        Take take = new Take(units);
        Disposable cancelled = new WaitMono<>(() -> take, Schedulers::parallel, null, true).subscribe();
        cancelled.dispose();
        StepVerifier.withVirtualTime(() -> new WaitMono<>(() -> take, Schedulers::parallel, Duration.ofSeconds(3),
                        true))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(3))
                .expectError(TimeoutException.class)
                .verify(Duration.ofSeconds(10));
        // At least once each (abandon is idempotent: the poller repeats it when it drops the waiter).
        assertTrue(take.abandoned.get() >= 2, "abandoned " + take.abandoned.get() + " times");
        units.set(1);
        StepVerifier.create(new WaitMono<>(() -> take, Schedulers::parallel, null, true))
                .expectNext(1).verifyComplete();
    }
}
