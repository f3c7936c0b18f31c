package dev.procsync.reactive.shm;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveAcquirable;
import dev.procsync.sync.Condition;
import dev.procsync.sync.Lock;
import dev.procsync.sync.RLock;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The lock under a {@link ShmCondition}: a process-owned {@link Lock}, or an {@link RLock} owned by
 * the condition handle through its reactive RLock's owner key (the lock of a blocking
 * {@code ns.condition(name)}, Python's default). A wait needs the handle to hold an RLock once: a
 * permit is one hold, and releasing nested holds for the wait would take them from permits the
 * caller still has.
 */
abstract class ConditionLock {
    /** The reactive lock a permit is acquired through. */
    private final ReactiveAcquirable rx;

    ConditionLock(ReactiveAcquirable rx) {
        this.rx = rx;
    }

    /** Acquires for a new permit (the lock's own permit object is dropped; {@link #releaseOne()} frees it). */
    final Mono<Permit> acquire(@Nullable Duration timeout) {
        return timeout == null ? rx.acquire() : rx.acquire(timeout);
    }

    final Mono<Permit> tryAcquire() {
        return rx.tryAcquire();
    }

    final String name() {
        return rx.name();
    }

    /** Releases one hold, for a condition permit's close. */
    abstract void releaseOne();

    /** Claims a waiter slot; checks that the lock is held (once, for an RLock). */
    abstract Condition.SlotWait beginWait(Condition condition);

    /** Wakes up to {@code n} waiters; checks that the lock is held. */
    abstract int signal(Condition condition, int n);

    abstract void close();

    static ConditionLock of(Lock lock, Supplier<Scheduler> scheduler) {
        return new ConditionLock(new ShmLock(lock, scheduler)) {
            @Override
            void releaseOne() {
                lock.release();
            }

            @Override
            Condition.SlotWait beginWait(Condition condition) {
                return condition.beginWaitAs(0); // the permit owns the lock: checks that this process holds it
            }

            @Override
            int signal(Condition condition, int n) {
                return condition.signalAs(0, n); // any thread may signal for the permit
            }

            @Override
            void close() {
                lock.close();
            }
        };
    }

    static ConditionLock of(RLock lock, Supplier<Scheduler> scheduler) {
        ShmRLock rx = new ShmRLock(lock, scheduler);
        return new ConditionLock(rx) {
            @Override
            void releaseOne() {
                rx.releaseOne();
            }

            @Override
            Condition.SlotWait beginWait(Condition condition) {
                int holds = rx.holds();
                if (holds > 1) {
                    throw new IllegalStateException("cannot await on condition '" + condition.name() + "': this handle"
                            + " holds rlock '" + lock.name() + "' " + holds + " times; a wait needs exactly one hold");
                }
                return condition.beginWaitAs(rx.key()); // checks that the key holds the lock
            }

            @Override
            int signal(Condition condition, int n) {
                return condition.signalAs(rx.key(), n);
            }

            @Override
            void close() {
                rx.close();
            }
        };
    }
}
