package dev.procsync.reactive.shm;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveRLock;
import dev.procsync.reactive.poller.Poller;
import dev.procsync.reactive.poller.WaitMono;
import dev.procsync.reactive.poller.WaitOperation;
import dev.procsync.sync.RLock;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@link ReactiveRLock} over a core {@link RLock}, owned by this handle through an owner key of
 * its own ({@link RLock#newOwnerKey()}) instead of a thread: any thread may acquire through the
 * handle and release its permits, and an acquire through a handle that holds the lock re-enters at
 * once. Blocking RLock users (threads) in any process exclude this handle and are excluded by it.
 *
 * <p>The core lock's hold count is written by its owner only; since a handle's permits may be
 * released on any thread, every use of the key goes through this handle's monitor.
 */
final class ShmRLock implements ReactiveRLock {
    private final RLock lock;
    private final long key = RLock.newOwnerKey();
    private final Supplier<Scheduler> scheduler;
    private final Operation operation = new Operation();

    ShmRLock(RLock lock, Supplier<Scheduler> scheduler) {
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
        return Mono.fromSupplier(() -> take(false));
    }

    @Override
    public Mono<Integer> holdCount() {
        return Mono.fromSupplier(this::holds);
    }

    private synchronized int holds() {
        return lock.holdCountOf(key);
    }

    private synchronized @Nullable Permit take(boolean sweep) {
        return lock.tryAcquireAs(key) || sweep && lock.tryAcquireFromDeadOwnerAs(key)
                ? new ShmPermit(this::releaseOne, describe()) : null;
    }

    private synchronized void releaseOne() {
        lock.releaseAs(key);
    }

    String describe() {
        return "rlock '" + lock.name() + "'";
    }

    /** The core handle (for tests). */
    RLock core() {
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
            return take(sweep);
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
            return ShmRLock.this;
        }

        @Override
        public String describe() {
            return ShmRLock.this.describe();
        }
    }
}
