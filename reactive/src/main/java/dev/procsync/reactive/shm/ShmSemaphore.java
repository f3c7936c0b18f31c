package dev.procsync.reactive.shm;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveSemaphore;
import dev.procsync.internal.engine.Poller;
import dev.procsync.reactive.poller.WaitMono;
import dev.procsync.sync.CountingSemaphore;
import dev.procsync.sync.Semaphore;
import dev.procsync.sync.Watch;
import java.time.Duration;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@link ReactiveSemaphore} over a core {@link Semaphore}: the same permit word, so blocking and
 * reactive users in any processes share the permits. Each pending acquire registers one sleeper
 * through {@link Semaphore#armAcquire()}.
 */
class ShmSemaphore implements ReactiveSemaphore {
    private final CountingSemaphore semaphore;
    private final String kind;
    private final Supplier<Scheduler> scheduler;

    ShmSemaphore(Semaphore semaphore, Supplier<Scheduler> scheduler) {
        this(semaphore, "semaphore", scheduler);
    }

    ShmSemaphore(CountingSemaphore semaphore, String kind, Supplier<Scheduler> scheduler) {
        this.semaphore = semaphore;
        this.kind = kind;
        this.scheduler = scheduler;
    }

    @Override
    public final String name() {
        return semaphore.name();
    }

    @Override
    public Mono<Permit> acquire() {
        return acquire(1);
    }

    @Override
    public Mono<Permit> acquire(Duration timeout) {
        return acquire(1, timeout);
    }

    @Override
    public Mono<Permit> tryAcquire() {
        return tryAcquire(1);
    }

    @Override
    public Mono<Permit> acquire(int permits) {
        int n = checkPermits(permits);
        return new WaitMono<>(() -> new Operation(n), scheduler, null, true);
    }

    @Override
    public Mono<Permit> acquire(int permits, Duration timeout) {
        int n = checkPermits(permits);
        return new WaitMono<>(() -> new Operation(n), scheduler, Timeouts.check(timeout), true);
    }

    @Override
    public Mono<Permit> tryAcquire(int permits) {
        int n = checkPermits(permits);
        return WaitMono.tryOnce(() -> new Operation(n), scheduler);
    }

    private int checkPermits(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("acquire of " + describe() + " needs at least 1 permit: " + permits);
        }
        return permits;
    }

    @Override
    public Mono<Void> release(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("release of " + describe() + " needs at least 1 permit: " + permits);
        }
        return Mono.fromRunnable(() -> semaphore.release(permits));
    }

    @Override
    public Mono<Integer> availablePermits() {
        return Mono.fromSupplier(semaphore::availablePermits);
    }

    private Permit newPermit(int n) {
        // Undo-on-death mode: the core acquire recorded the permits under this process (the poller and
        // the subscriber's thread are both of it), and a permit given back from a dead holder is reported.
        // Always false in the plain mode, at no cost.
        boolean ownerDied = semaphore.previousOwnerDied();
        Runnable release = () -> semaphore.release(n);
        return new ShmPermit(release, release, ownerDied, describe() + (n == 1 ? "" : ", " + n + " permits"));
    }

    String describe() {
        return kind + " '" + semaphore.name() + "'";
    }

    @Override
    public void close() {
        semaphore.close();
        Poller.shared().nudge();
    }

    @Override
    public String toString() {
        return "Reactive" + semaphore;
    }

    /**
     * One subscription's acquire of {@code n} permits, all or none: a sleeper registered through the
     * semaphore's watch hook. Acquires of one handle are served in order, so a waiter for many
     * permits is not overtaken by later waiters for fewer through the same handle.
     */
    private final class Operation extends WatchOperation<Permit> {
        private final int n;

        Operation(int n) {
            this.n = n;
        }

        @Override
        protected boolean tryNow() {
            return n == 1 ? semaphore.tryAcquire() : semaphore.tryAcquire(n);
        }

        @Override
        protected Watch register() {
            return n == 1 ? semaphore.armAcquire() : semaphore.armAcquire(n);
        }

        @Override
        protected Permit taken() {
            return newPermit(n);
        }

        @Override
        public void giveBack(Permit taken) {
            taken.close();
        }

        @Override
        public Object key() {
            return ShmSemaphore.this;
        }

        @Override
        public String describe() {
            return ShmSemaphore.this.describe();
        }
    }
}
