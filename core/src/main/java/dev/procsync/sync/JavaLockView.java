package dev.procsync.sync;

import dev.procsync.segment.SegmentDirectory;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The {@link java.util.concurrent.locks.Lock} face of a {@link Lock} or an {@link RLock}: what
 * {@link Mutex#asJavaLock()} returns. The contract is written on {@link Mutex#asJavaLock()}.
 */
final class JavaLockView implements java.util.concurrent.locks.Lock {
    /*
     * Ownership. An RLock already belongs to a thread, so its view only delegates. A Lock belongs
     * to a process; the view adds the thread check j.u.c code expects: `holder` is the thread that
     * took the lock through this view (the view is one per handle, see Mutex.asJavaLock), written
     * only by that thread after its acquire and before its release, so a volatile field is enough.
     * A condition wait gives the lock up and takes it again: the view's condition clears `holder`
     * before the wait and sets it again after, so another thread of this process may use the lock
     * meanwhile.
     */
    private final Mutex mutex;
    private final SegmentDirectory namespace;
    private volatile @Nullable Thread holder;
    private @Nullable JavaConditionView condition;

    JavaLockView(Mutex mutex, SegmentDirectory namespace) {
        this.mutex = mutex;
        this.namespace = namespace;
    }

    /** The name of the shared condition behind {@link #newCondition()}. */
    static String conditionName(String lockName) {
        return lockName + ".condition";
    }

    private boolean threadOwned() {
        return mutex instanceof RLock;
    }

    private void took() {
        if (!threadOwned()) {
            holder = Thread.currentThread();
        }
    }

    @Override
    public void lock() {
        boolean interrupted = false;
        while (true) {
            try {
                mutex.acquire();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // lock() is not interruptible: keep waiting, report it afterwards
            }
        }
        took();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before locking " + what());
        }
        mutex.acquire();
        took();
    }

    @Override
    public boolean tryLock() {
        if (mutex.tryAcquire()) {
            took();
            return true;
        }
        return false;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before locking " + what());
        }
        long nanos = unit.toNanos(time);
        if (nanos <= 0) {
            return tryLock(); // j.u.c.: a time of zero or less does not wait at all
        }
        if (mutex.tryAcquire(Duration.ofNanos(nanos))) {
            took();
            return true;
        }
        return false;
    }

    @Override
    public void unlock() {
        if (threadOwned()) {
            mutex.release(); // RLock throws IllegalMonitorStateException for a non-owner itself
            return;
        }
        checkHeld("unlock");
        holder = null;
        mutex.release();
    }

    /**
     * Throws {@link IllegalMonitorStateException} unless the current thread holds the lock through
     * this view (for an RLock: holds it at all).
     */
    void checkHeld(String action) {
        boolean held = threadOwned() ? ((RLock) mutex).isHeldByCurrentThread() : holder == Thread.currentThread();
        if (!held) {
            throw new IllegalMonitorStateException("cannot " + action + " " + what() + ": the current thread ("
                    + Thread.currentThread().getName() + ") does not hold it through this java.util.concurrent view");
        }
    }

    /** After a condition wait gave the lock up: nobody holds it through the view. */
    void gaveUp() {
        if (!threadOwned()) {
            holder = null;
        }
    }

    /** After a condition wait took the lock again. */
    void tookBack() {
        took();
    }

    @Override
    public synchronized java.util.concurrent.locks.Condition newCondition() {
        JavaConditionView c = condition;
        if (c == null) {
            String name = conditionName(mutex.name());
            Condition shared = mutex instanceof RLock r ? Condition.open(namespace, name, r, false)
                    : Condition.open(namespace, name, (Lock) mutex);
            c = new JavaConditionView(this, shared);
            condition = c;
        }
        return c;
    }

    /** Closes the shared condition opened by {@link #newCondition()}, if any (with the lock handle). */
    synchronized void close() {
        if (condition != null) {
            condition.shared().close();
        }
    }

    String what() {
        return (threadOwned() ? "rlock '" : "lock '") + mutex.name() + "'";
    }

    @Override
    public String toString() {
        return "java.util.concurrent.locks.Lock view of " + mutex;
    }
}
