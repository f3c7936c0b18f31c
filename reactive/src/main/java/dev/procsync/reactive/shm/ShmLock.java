package dev.procsync.reactive.shm;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveLock;
import dev.procsync.internal.engine.Poller;
import dev.procsync.reactive.poller.WaitMono;
import dev.procsync.sync.Lock;
import dev.procsync.sync.Watch;
import java.time.Duration;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@link ReactiveLock} over a core {@link Lock}: the same futex word, so blocking and reactive
 * users in any processes exclude each other. Each pending acquire registers one sleeper through
 * {@link Lock#armAcquire()}; the poller sleeps on the lock word, and the watch's own try takes a
 * dead holder's lock over ({@link Lock#previousOwnerDied()} then reports it).
 */
final class ShmLock implements ReactiveLock {
    private final Lock lock;
    private final Supplier<Scheduler> scheduler;

    ShmLock(Lock lock, Supplier<Scheduler> scheduler) {
        this.lock = lock;
        this.scheduler = scheduler;
    }

    @Override
    public String name() {
        return lock.name();
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
    public Mono<Boolean> isLocked() {
        return Mono.fromSupplier(lock::isLocked);
    }

    private Permit newPermit() {
        // Read right after the take, by the taker: the signal of this hold (a release resets it).
        return new ShmPermit(lock::release, lock::releaseKeepingOwnerDied, lock.previousOwnerDied(), describe());
    }

    String describe() {
        return "lock '" + lock.name() + "'";
    }

    /** The core handle (for tests and interop). */
    Lock core() {
        return lock;
    }

    @Override
    public void close() {
        lock.close();
        Poller.shared().nudge();
    }

    @Override
    public String toString() {
        return "Reactive" + lock;
    }

    /** One subscription's acquire: a sleeper registered through {@link Lock#armAcquire()}. */
    private final class Operation extends WatchOperation<Permit> {
        @Override
        protected boolean tryNow() {
            return lock.tryAcquire();
        }

        @Override
        protected Watch register() {
            return lock.armAcquire();
        }

        @Override
        protected Permit taken() {
            return newPermit();
        }

        @Override
        public void giveBack(Permit taken) {
            ((ShmPermit) taken).giveBack(); // unused: keep a takeover's owner-died signal for the next holder
        }

        @Override
        public Object key() {
            return ShmLock.this;
        }

        @Override
        public String describe() {
            return ShmLock.this.describe();
        }
    }
}
