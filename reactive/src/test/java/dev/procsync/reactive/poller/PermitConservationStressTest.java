package dev.procsync.reactive.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveAcquirable;
import dev.procsync.reactive.ReactiveLock;
import dev.procsync.reactive.ReactiveSemaphore;
import dev.procsync.reactive.testing.Ns;
import dev.procsync.sync.Lock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * A seeded loop of random acquire / timed acquire / try / cancel / release operations racing the
 * poller and the parallel() Scheduler: one million on a lock, half a million on a semaphore of 3.
 * There must never be more holders than permits, every emitted permit is released exactly once,
 * and at the end every permit is back.
 */
@Tag("campaign") // long: excluded by -Pquick, run by every full mvn verify
class PermitConservationStressTest {
    private static final int OPERATIONS = 1_000_000;
    private static final int MAX_PENDING = 64;

    private final Ns ns = new Ns("rxstress");
    private final AtomicInteger holders = new AtomicInteger();
    private final AtomicInteger violations = new AtomicInteger();
    private final AtomicLong emitted = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final ConcurrentLinkedQueue<Permit> held = new ConcurrentLinkedQueue<>();
    private int maxHolders;

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    /** Records what the stress subscriber saw; the subscription is the waiter itself. */
    private final class Probe implements CoreSubscriber<Permit> {
        volatile Subscription subscription;
        volatile boolean terminated;
        volatile boolean cancelled;

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(Permit permit) {
            if (holders.incrementAndGet() > maxHolders) {
                violations.incrementAndGet();
            }
            emitted.incrementAndGet();
            held.add(permit);
        }

        @Override
        public void onError(Throwable t) {
            if (t instanceof TimeoutException) {
                timedOut.incrementAndGet();
            } else {
                violations.incrementAndGet();
                t.printStackTrace();
            }
            terminated = true;
        }

        @Override
        public void onComplete() {
            terminated = true;
        }

        void cancel() {
            cancelled = true;
            subscription.cancel();
        }

        /** Nothing more will happen to this subscription. */
        boolean settled() {
            if (terminated) {
                return true;
            }
            if (!(subscription instanceof Waiter)) {
                return false; // tryAcquire's Mono.fromSupplier: settles by terminating
            }
            int state = ((Waiter) subscription).state();
            return cancelled && (state == Waiter.CANCELLED || state == Waiter.TIMED_OUT);
        }
    }

    private void releaseOne() {
        Permit p = held.poll();
        if (p != null) {
            holders.decrementAndGet();
            p.close();
        }
    }

    @Test
    void shouldConserveLockPermitsOverAMillionRandomRaces() throws Exception {
        try (ReactiveLock lock = ns.rx.lock("stress")) {
            race(lock, 1, OPERATIONS);
        }
        Lock core = ns.ns.lock("stress");
        assertTrue(core.tryAcquire(), "every permit was released, so the lock must be free: " + core);
        core.release();
        core.close();
    }

    @Test
    void shouldConserveSemaphorePermitsOverRandomRaces() throws Exception {
        try (ReactiveSemaphore semaphore = ns.rx.semaphore("stress-sem", 3)) {
            race(semaphore, 3, OPERATIONS / 2);
            assertEquals(3, semaphore.availablePermits().block());
        }
    }

    private void race(ReactiveAcquirable lock, int permits, int operations) {
        maxHolders = permits;
        Random random = new Random(20261122L);
        List<Probe> pending = new ArrayList<>();
        List<Probe> all = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < operations; i++) {
            int op = random.nextInt(8);
            Mono<Permit> source = null;
            if (op <= 1) {
                source = lock.acquire();
            } else if (op == 2) {
                source = lock.acquire(Duration.ofNanos(random.nextInt(200_000)));
            } else if (op == 3) {
                source = lock.tryAcquire();
            } else if (op <= 5 && !pending.isEmpty()) {
                pending.remove(random.nextInt(pending.size())).cancel();
            } else {
                releaseOne();
            }
            if (source != null) {
                Probe probe = new Probe();
                source.subscribe(probe);
                pending.add(probe);
                all.add(probe);
                if (pending.size() > MAX_PENDING) {
                    pending.remove(0).cancel();
                }
            }
            if ((i & 4095) == 0) {
                pending.removeIf(p -> p.terminated);
            }
        }
        for (Probe p : pending) {
            p.cancel();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (Probe p : all) {
            while (!p.settled()) {
                releaseOne();
                assertTrue(System.nanoTime() < deadline, "subscriptions did not settle");
                Thread.onSpinWait();
            }
        }
        while (!held.isEmpty()) {
            releaseOne();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println(lock + ": " + operations + " operations in " + millis + " ms; " + all.size()
                + " subscriptions, " + emitted.get() + " permits emitted, " + timedOut.get() + " timed out");
        assertEquals(0, violations.get(), "two holders at once, or an unexpected error");
        assertEquals(0, holders.get());
        assertTrue(emitted.get() > operations / 20, "too few grants to mean anything: " + emitted.get());
        assertTrue(timedOut.get() > 0, "no timeout raced");
    }
}
