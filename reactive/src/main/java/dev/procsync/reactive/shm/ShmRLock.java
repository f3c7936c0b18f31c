package dev.procsync.reactive.shm;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveRLock;
import dev.procsync.internal.engine.Poller;
import dev.procsync.reactive.poller.WaitMono;
import dev.procsync.sync.RLock;
import dev.procsync.sync.Watch;
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
    public Mono<Integer> holdCount() {
        return Mono.fromSupplier(this::holds);
    }

    /** This handle's owner key (for a condition over this lock). */
    long key() {
        return key;
    }

    synchronized int holds() {
        return lock.holdCountOf(key);
    }

    private Permit newPermit() {
        // Read right after the take, by the taker: the signal of this hold (a full release resets it).
        return new ShmPermit(this::releaseOne, this::giveBackOne, lock.previousOwnerDied(), describe());
    }

    synchronized void releaseOne() {
        lock.releaseAs(key);
    }

    private synchronized void giveBackOne() {
        lock.releaseAsKeepingOwnerDied(key);
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

    /** One subscription's acquire, through {@link RLock#armAcquireAs(long)} for this handle's key. */
    private final class Operation extends WatchOperation<Permit> {
        @Override
        public @Nullable Permit tryTake(boolean sweep) {
            synchronized (ShmRLock.this) { // the key's hold count is written by one thread at a time
                return super.tryTake(sweep);
            }
        }

        @Override
        public @Nullable Permit tryOnce() {
            synchronized (ShmRLock.this) {
                return super.tryOnce();
            }
        }

        @Override
        protected boolean tryNow() {
            return lock.tryAcquireAs(key);
        }

        @Override
        protected Watch register() {
            return lock.armAcquireAs(key);
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
            return ShmRLock.this;
        }

        @Override
        public String describe() {
            return ShmRLock.this.describe();
        }
    }
}
