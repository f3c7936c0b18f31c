package dev.procsync.reactive.shm;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveLock;
import dev.procsync.reactive.poller.Poller;
import dev.procsync.reactive.poller.WaitMono;
import dev.procsync.reactive.poller.WaitOperation;
import dev.procsync.sync.Lock;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@link ReactiveLock} over a core {@link Lock}: the same futex word, so blocking and reactive
 * users in any processes exclude each other. Waits go through the poller, which sleeps on the
 * lock word after {@link Lock#armWatch()} and takes a dead holder's lock over with
 * {@link Lock#tryAcquireFromDeadOwner()} during its sweep.
 */
final class ShmLock implements ReactiveLock {
    private final Lock lock;
    private final Supplier<Scheduler> scheduler;
    private final Operation operation = new Operation();

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
        return new WaitMono<>(() -> operation, scheduler, null, true);
    }

    @Override
    public Mono<Permit> acquire(Duration timeout) {
        return new WaitMono<>(() -> operation, scheduler, Timeouts.check(timeout, this::describe), true);
    }

    @Override
    public Mono<Permit> tryAcquire() {
        return Mono.fromSupplier(() -> lock.tryAcquire() ? newPermit() : null);
    }

    @Override
    public Mono<Boolean> isLocked() {
        return Mono.fromSupplier(lock::isLocked);
    }

    private Permit newPermit() {
        return new ShmPermit(lock::release, describe());
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

    /** The lock's try operation; stateless, so one instance serves every subscription. */
    private final class Operation implements WaitOperation<Permit> {
        @Override
        public @Nullable Permit tryTake(boolean sweep) {
            return lock.tryAcquire() || sweep && lock.tryAcquireFromDeadOwner() ? newPermit() : null;
        }

        @Override
        public long arm() {
            return lock.armWatch();
        }

        @Override
        public long address() {
            return lock.watchAddress();
        }

        @Override
        public void giveBack(Permit taken) {
            taken.close();
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
