package dev.procsync.sync;

import dev.procsync.ClosedException;
import dev.procsync.segment.Segment;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What {@link Lock} and {@link RLock} have in common: the type to accept where either will do, as
 * Python accepts a {@code Lock} or an {@code RLock} for {@code Value(..., lock=...)}. The shared
 * values and arrays of {@code dev.procsync.data} take one for their {@code getLock()}.
 *
 * <p>The two differ in who owns a hold: a {@link Lock} is held by a process (any thread may
 * release it, a second acquire by the holder blocks), an {@link RLock} by one thread, which may
 * acquire again and must release as often. Each class's documentation gives its exact contract;
 * the contract common to both:
 * <ul>
 *   <li><b>Waiting</b>: {@link #acquire()} waits as long as it takes, {@link #tryAcquire(Duration)}
 *       at most the timeout (zero or negative only tries); waits are interruptible and
 *       closing the handle wakes its waiters with {@link ClosedException}.</li>
 *   <li><b>Peer death</b>: a waiter takes the lock over from a holder process that died, and the
 *       new holder's {@link #previousOwnerDied()} reports it until a {@link #release()} frees the
 *       lock; {@link #releaseKeepingOwnerDied()} passes the signal on instead.</li>
 *   <li><b>Memory consistency effects</b>: actions in any process before the release that frees
 *       the lock happen-before actions after a subsequent successful acquire in any process.</li>
 * </ul>
 */
public sealed interface Mutex extends AutoCloseable permits Lock, RLock {
    /** The lock's name in its namespace. */
    String name();

    /**
     * Acquires the lock, waiting as long as it takes.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws ClosedException      if this handle is closed
     */
    void acquire() throws InterruptedException;

    /**
     * Acquires the lock if that is possible now; never blocks.
     *
     * @return whether the caller now holds the lock
     * @throws ClosedException if this handle is closed
     */
    boolean tryAcquire();

    /**
     * Acquires the lock, waiting at most {@code timeout}.
     *
     * @param timeout longest wait; zero or negative only tries
     * @return whether the caller now holds the lock ({@code false} on timeout)
     * @throws InterruptedException     if interrupted while waiting
     * @throws ClosedException          if this handle is closed
     */
    boolean tryAcquire(Duration timeout) throws InterruptedException;

    /**
     * Acquires the lock, waiting at most the given time.
     *
     * @param timeout longest wait; zero or negative only tries
     * @param unit    unit of {@code timeout}
     * @return whether the caller now holds the lock ({@code false} on timeout)
     * @throws InterruptedException     if interrupted while waiting
     */
    boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Acquires the lock and returns a hold whose {@code close()} releases it once, for
     * try-with-resources (Python's {@code with lock:}).
     *
     * @return the hold
     * @throws InterruptedException if interrupted while waiting
     */
    Hold hold() throws InterruptedException;

    /**
     * Releases the caller's hold (for an {@link RLock}, one level of it); see each class for who may
     * release.
     *
     * @throws IllegalStateException if the lock is not held: {@link dev.procsync.OverReleaseException} for a
     *                               {@code Lock}, {@link IllegalMonitorStateException} for an {@code RLock}
     *                               released by a thread that does not hold it
     *                               ({@link IllegalMonitorStateException} for an {@link RLock})
     * @throws ClosedException       if this handle is closed
     */
    void release();

    /**
     * Releases like {@link #release()} but leaves the owner-died signal set for the next holder.
     *
     * @throws IllegalStateException if the lock is not held: {@link dev.procsync.OverReleaseException} for a
     *                               {@code Lock}, {@link IllegalMonitorStateException} for an {@code RLock}
     *                               released by a thread that does not hold it
     * @throws ClosedException       if this handle is closed
     */
    void releaseKeepingOwnerDied();

    /** Whether some process holds the lock now (a snapshot). */
    boolean isLocked();

    /** The pid of the holding process, or 0 if free (a snapshot). */
    int ownerPid();

    /**
     * Whether the current hold was taken over from a holder that died holding the lock, or follows
     * a {@link #releaseKeepingOwnerDied()} of such a hold; meaningful to the holder.
     *
     * @return whether the previous holder died
     */
    boolean previousOwnerDied();

    /**
     * This lock as a {@link java.util.concurrent.locks.Lock}, for code written against
     * java.util.concurrent (one view per handle: every call returns the same object).
     *
     * <p>The view acquires and releases this lock, so it excludes every process, and adds what
     * j.u.c. code expects of a lock:
     * <ul>
     *   <li><b>Ownership</b>: the thread that locked through the view holds it, and only that
     *       thread may {@code unlock()}, else {@link IllegalMonitorStateException} (as for
     *       {@code ReentrantLock}). Over a {@link Lock} the view is not reentrant: a second
     *       {@code lock()} by the holder waits forever; over an {@link RLock} it is, with the
     *       RLock's hold count.</li>
     *   <li><b>Waiting</b>: {@code lock()} waits uninterruptibly (an interrupt is kept and set
     *       again when it returns); {@code lockInterruptibly()} and {@code tryLock(time, unit)}
     *       throw {@link InterruptedException} when interrupted on entry or while waiting;
     *       {@code tryLock(time, unit)} with a time of zero or less does not wait at all.
     *       Closing the handle wakes waiting threads with {@link ClosedException}.</li>
     *   <li><b>{@code newCondition()}</b> returns the view of one shared {@link Condition} per lock,
     *       named {@code <lock name>.condition} and opened on first call: every process's
     *       {@code newCondition()} of the same lock waits in and signals that one condition. Since
     *       two conditions of one lock are then one wait set, its {@code signal()} wakes every
     *       waiter (a j.u.c. condition may wake up spuriously, and code written for it re-tests its
     *       predicate); for a condition of its own whose {@code signal()} wakes exactly one, open
     *       {@link dev.procsync.Namespace#condition(String, Lock)} and use its methods. Waits take at
     *       most {@value Condition#SLOTS} threads at once; {@code awaitUninterruptibly()} returns
     *       early (a spurious wake-up) if interrupted, with the interrupt status set.</li>
     *   <li><b>Peer death</b>: as for this lock: a waiter takes the lock over from a dead holder
     *       process, and {@link #previousOwnerDied()} tells the new holder.</li>
     *   <li><b>Memory consistency effects</b>: those of this lock.</li>
     * </ul>
     *
     * @return the view
     */
    java.util.concurrent.locks.Lock asJavaLock();

    /** The segment (for the reactive bridge and the inspector). */
    Segment segment();

    /** Closes this handle: unmaps it and wakes its waiting threads with {@link ClosedException}. */
    @Override
    void close();

    /** A hold on a {@link Mutex}; {@link #close()} releases it once. */
    sealed interface Hold extends AutoCloseable permits Lock.Hold, RLock.Hold {
        /** Whether the hold was taken over from a dead holder (or inherited that signal). */
        boolean previousOwnerDied();

        /** Releases the hold (once; later calls do nothing). */
        @Override
        void close();
    }
}
