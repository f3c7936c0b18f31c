package dev.procsync.reactive.shm;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveSemaphore;
import dev.procsync.reactive.poller.Poller;
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
        return new WaitMono<>(Operation::new, scheduler, null, true);
    }

    @Override
    public Mono<Permit> acquire(Duration timeout) {
        return new WaitMono<>(Operation::new, scheduler, Timeouts.check(timeout), true);
    }

    @Override
    public Mono<Permit> tryAcquire() {
        return WaitMono.tryOnce(Operation::new, scheduler);
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

    private Permit newPermit() {
        return new ShmPermit(() -> semaphore.release(1), describe());
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

    /** One subscription's acquire: a sleeper registered through the semaphore's watch hook. */
    private final class Operation extends WatchOperation<Permit> {
        @Override
        protected boolean tryNow() {
            return semaphore.tryAcquire();
        }

        @Override
        protected Watch register() {
            return semaphore.armAcquire();
        }

        @Override
        protected Permit taken() {
            return newPermit();
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
