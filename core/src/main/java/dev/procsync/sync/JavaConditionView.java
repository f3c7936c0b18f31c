package dev.procsync.sync;

import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The {@link java.util.concurrent.locks.Condition} returned by the {@code newCondition()} of a
 * {@link Mutex#asJavaLock()} view; the contract is written there.
 */
final class JavaConditionView implements java.util.concurrent.locks.Condition {
    /*
     * Every newCondition() of every handle of one lock, in every process, is this one shared
     * condition (it is found by name). Two j.u.c. conditions of one lock (notEmpty and notFull,
     * say) therefore share one wait set, and a signal() that woke just one waiter could wake a
     * waiter of the other condition and leave its own waiter asleep. So signal() wakes every
     * waiter: j.u.c. allows spurious wake-ups, and code written against it re-tests its predicate
     * after each one. The ownership check runs in the view first (the thread that took the lock
     * through the view), then again in the shared condition.
     */
    private final JavaLockView lock;
    private final Condition shared;

    JavaConditionView(JavaLockView lock, Condition shared) {
        this.lock = lock;
        this.shared = shared;
    }

    Condition shared() {
        return shared;
    }

    /** Waits in the shared condition, keeping the view's holder right across the wait. */
    private boolean awaitShared(@Nullable Duration timeout) throws InterruptedException {
        lock.checkHeld("await on the condition of");
        lock.gaveUp();
        try {
            if (timeout == null) {
                shared.await();
                return true;
            }
            return shared.await(timeout);
        } finally {
            lock.tookBack(); // the shared condition takes the lock again before it returns or throws
        }
    }

    @Override
    public void await() throws InterruptedException {
        if (Thread.interrupted()) {
            lock.checkHeld("await on the condition of");
            throw new InterruptedException("interrupted before awaiting the condition of " + lock.what());
        }
        awaitShared(null);
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            awaitShared(null);
        } catch (InterruptedException e) {
            // Returned early with the lock held again: a spurious wake-up, which the contract allows.
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        if (Thread.interrupted()) {
            lock.checkHeld("await on the condition of");
            throw new InterruptedException("interrupted before awaiting the condition of " + lock.what());
        }
        if (nanosTimeout <= 0) {
            lock.checkHeld("await on the condition of");
            return nanosTimeout;
        }
        long start = System.nanoTime();
        boolean signalled = awaitShared(Duration.ofNanos(nanosTimeout));
        long left = nanosTimeout - (System.nanoTime() - start);
        if (!signalled) {
            return Math.min(left, 0);
        }
        return Math.max(left, 1); // signalled: report time left, never a value that reads as a timeout
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return awaitNanos(unit.toNanos(time)) > 0;
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        Objects.requireNonNull(deadline, "deadline");
        long millis = deadline.getTime() - System.currentTimeMillis();
        return awaitNanos(TimeUnit.MILLISECONDS.toNanos(millis)) > 0;
    }

    @Override
    public void signal() {
        lock.checkHeld("signal the condition of");
        shared.signalAll(); // see the note above: one shared wait set, so wake all
    }

    @Override
    public void signalAll() {
        lock.checkHeld("signal the condition of");
        shared.signalAll();
    }

    @Override
    public String toString() {
        return "java.util.concurrent.locks.Condition view of " + shared;
    }
}
