package dev.procsync.reactive.shm;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveCondition;
import dev.procsync.internal.engine.Poller;
import dev.procsync.reactive.poller.WaitMono;
import dev.procsync.reactive.poller.WaitOperation;
import dev.procsync.sync.Condition;
import dev.procsync.sync.Lock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * {@link ReactiveCondition} over a core {@link Condition} bound to a process-owned {@link Lock}, or
 * to an {@link dev.procsync.sync.RLock} owned by this handle's owner key ({@link ConditionLock}).
 * Blocking users pair the same condition name with a lock of the same name and kind; the RLock
 * form is the pairing of a blocking {@code ns.condition(name)}.
 *
 * <p>Nothing happens before the subscriber's first request (subscribing alone keeps the lock).
 * Then the wait claims a waiter slot through {@link Condition#beginWait()} while the lock is held,
 * lends the permit's lock to the wait (the lock is released), waits through the poller for the
 * slot to be notified, and then re-acquires the lock for the same permit. The re-acquisition is
 * not part of the subscriber's chain: it runs whether the wait was notified, timed out or
 * cancelled, so the caller's permit always ends up holding the lock again (a permit closed
 * meanwhile is released as soon as the lock is back). A notification consumed by a cancelled wait
 * is passed on with {@code signal(1)} once the lock is back.
 */
final class ShmCondition implements ReactiveCondition {
    private final Condition condition;
    private final ConditionLock lock;
    private final Supplier<Scheduler> scheduler;

    ShmCondition(Condition condition, ConditionLock lock, Supplier<Scheduler> scheduler) {
        this.condition = condition;
        this.lock = lock;
        this.scheduler = scheduler;
    }

    @Override
    public String name() {
        return condition.name();
    }

    @Override
    public Mono<Permit> acquire() {
        return lock.acquire(null).map(this::adopt);
    }

    @Override
    public Mono<Permit> acquire(Duration timeout) {
        return lock.acquire(timeout).map(this::adopt);
    }

    @Override
    public Mono<Permit> tryAcquire() {
        return lock.tryAcquire().map(this::adopt);
    }

    /** Turns a lock permit into one a wait can lend (the lock's own permit object is dropped). */
    private Permit adopt(Permit lockPermit) {
        return new ConditionPermit(lock::releaseOne, lockPermit.previousOwnerDied(), this);
    }

    @Override
    public Mono<Void> await(Permit permit) {
        // Built at the first request, not at subscription: releasing the lock is the wait's first
        // effect. Outermost, since then() requests its source at once.
        return new OnRequest<>(() -> await0(permit, null).then());
    }

    @Override
    public Mono<Boolean> await(Permit permit, Duration timeout) {
        Duration checked = Timeouts.check(timeout);
        return new OnRequest<>(() -> await0(permit, checked));
    }

    private Mono<Boolean> await0(Permit permit, @Nullable Duration timeout) {
        return Mono.defer(() -> {
            if (!(permit instanceof ConditionPermit) || ((ConditionPermit) permit).owner() != this) {
                return Mono.error(new IllegalArgumentException("not a permit of " + describe() + ": " + permit));
            }
            ConditionPermit held = (ConditionPermit) permit;
            Condition.SlotWait slot = lock.beginWait(condition); // checks that we hold the lock
            held.lend();
            lock.releaseOne();
            Notified notified = new Notified(slot);
            Sinks.Empty<Void> back = Sinks.empty();
            return new WaitMono<>(() -> notified, scheduler, timeout, true)
                    .map(n -> Boolean.TRUE)
                    .onErrorResume(TimeoutException.class, e -> Mono.just(Boolean.FALSE))
                    .doFinally(signal -> reacquire(held, notified, back))
                    .flatMap(n -> back.asMono().thenReturn(n));
        });
    }

    /** Re-acquires the lock for a lent permit, whatever ended the wait; not cancellable by the subscriber. */
    private void reacquire(ConditionPermit held, Notified notified, Sinks.Empty<Void> back) {
        lock.acquire(null).subscribe(lockPermit -> {
            held.back();
            if (notified.consumedByCancel) {
                lock.signal(condition, 1); // pass on the notification the cancelled wait swallowed
            }
            back.tryEmitEmpty();
        }, back::tryEmitError);
    }

    @Override
    public Mono<Void> signal(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("signal of " + describe() + " needs n >= 1: " + n);
        }
        return Mono.fromRunnable(() -> lock.signal(condition, n));
    }

    @Override
    public Mono<Void> signalAll() {
        return Mono.fromRunnable(() -> lock.signal(condition, Integer.MAX_VALUE));
    }

    String describe() {
        return "condition '" + condition.name() + "'";
    }

    @Override
    public void close() {
        condition.close();
        lock.close();
        Poller.shared().nudge();
    }

    @Override
    public String toString() {
        return "Reactive" + condition;
    }

    /** One wait's slot, polled by the poller. */
    private final class Notified implements WaitOperation<Object> {
        private final Condition.SlotWait slot;
        private volatile boolean consumedByCancel;

        Notified(Condition.SlotWait slot) {
            this.slot = slot;
        }

        @Override
        public @Nullable Object tryTake(boolean sweep) {
            return slot.poll() ? Boolean.TRUE : null;
        }

        @Override
        public long arm() {
            return slot.expected() & 0xFFFF_FFFFL;
        }

        @Override
        public long address() {
            return slot.address();
        }

        @Override
        public void abandon() {
            if (slot.cancel()) {
                consumedByCancel = true;
            }
        }

        @Override
        public void giveBack(Object taken) {
            consumedByCancel = true; // notified, but the subscriber cancelled before delivery
        }

        @Override
        public Object key() {
            return this;
        }

        @Override
        public String describe() {
            return ShmCondition.this.describe();
        }
    }
}
