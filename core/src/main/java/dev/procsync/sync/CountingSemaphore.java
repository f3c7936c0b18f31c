package dev.procsync.sync;

import dev.procsync.ClosedException;
import dev.procsync.segment.Segment;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What {@link Semaphore} and {@link BoundedSemaphore} have in common: the type to accept where
 * either will do (the reactive layer adapts both through it). They differ only in what a release
 * past the initial count does: a Semaphore grows, a BoundedSemaphore refuses. Each class's
 * documentation gives the full contract: acquisition is not fair; waits are interruptible and
 * bounded by their timeouts; in the default plain mode permits are not owned, so a process that
 * dies holding some does not return them (as in Python), while in the
 * {@link SemaphoreOptions#undoOnDeath() undo-on-death} mode they come back; actions before a
 * release happen-before actions after an acquire that took its permit.
 */
public sealed interface CountingSemaphore extends AutoCloseable permits Semaphore, BoundedSemaphore {
    /** The semaphore's name in its namespace. */
    String name();

    /** The mode it was created with. @return plain or undo on death */
    SemaphoreOptions options();

    /**
     * Undo-on-death mode: whether this process holds permits a dead holder had held; always
     * {@code false} in the plain mode.
     *
     * @return whether the previous holder of some permit this process holds died
     */
    boolean previousOwnerDied();

    /**
     * Undo-on-death mode: the permits this process holds.
     *
     * @return the count
     * @throws UnsupportedOperationException in the plain mode
     */
    int heldByThisProcess();

    /**
     * Undo-on-death mode: gives back the permits of dead holders now; 0 in the plain mode.
     *
     * @return how many came back
     */
    int recoverDeadHolders();

    /** Undo-on-death mode: permits ever given back from dead holders; 0 in the plain mode. @return the count */
    long recoveredPermits();

    /**
     * Takes a permit, waiting as long as it takes.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws ClosedException      if this handle is closed
     */
    void acquire() throws InterruptedException;

    /**
     * Takes a permit if one is free now; never blocks.
     *
     * @return whether a permit was taken
     * @throws ClosedException if this handle is closed
     */
    boolean tryAcquire();

    /**
     * Takes a permit, waiting at most {@code timeout}.
     *
     * @param timeout longest wait; zero or negative only tries
     * @return whether a permit was taken ({@code false} on timeout)
     * @throws InterruptedException if interrupted while waiting
     * @throws NullPointerException if {@code timeout} is null
     */
    boolean tryAcquire(Duration timeout) throws InterruptedException;

    /**
     * Takes a permit, waiting at most the given time.
     *
     * @param timeout longest wait; zero or negative only tries
     * @param unit    unit of {@code timeout}
     * @return whether a permit was taken ({@code false} on timeout)
     * @throws InterruptedException if interrupted while waiting
     */
    boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Takes {@code n} permits at once (all or none), waiting as long as it takes.
     *
     * @param n how many, at least 1 (and at most a BoundedSemaphore's bound)
     * @throws InterruptedException if interrupted while waiting (nothing is taken)
     */
    void acquire(int n) throws InterruptedException;

    /**
     * Takes {@code n} permits at once if that many are free now; never blocks.
     *
     * @param n how many, at least 1 (and at most a BoundedSemaphore's bound)
     * @return whether they were taken
     */
    boolean tryAcquire(int n);

    /**
     * Takes {@code n} permits at once, waiting at most {@code timeout}.
     *
     * @param n       how many, at least 1 (and at most a BoundedSemaphore's bound)
     * @param timeout longest wait; zero or negative only tries
     * @return whether they were taken ({@code false} on timeout: none were)
     * @throws InterruptedException if interrupted while waiting (nothing is taken)
     */
    boolean tryAcquire(int n, Duration timeout) throws InterruptedException;

    /**
     * Takes {@code n} permits at once, waiting at most the given time.
     *
     * @param n       how many, at least 1 (and at most a BoundedSemaphore's bound)
     * @param timeout longest wait; zero or negative only tries
     * @param unit    unit of {@code timeout}
     * @return whether they were taken ({@code false} on timeout: none were)
     * @throws InterruptedException if interrupted while waiting (nothing is taken)
     */
    boolean tryAcquire(int n, long timeout, TimeUnit unit) throws InterruptedException;

    /** Returns one permit, waking one waiter if any sleeps. */
    void release();

    /**
     * Returns {@code n} permits at once, waking up to {@code n} waiters.
     *
     * @param n how many, at least 1
     */
    void release(int n);

    /** The permits free now (a snapshot). @return the count */
    int availablePermits();

    /**
     * Registers the caller as a sleeper without blocking, for a caller that sleeps elsewhere (the
     * reactive poller); see {@link Watch}.
     *
     * @return an armed watch
     */
    Watch armAcquire();

    /**
     * As {@link #armAcquire()} for {@code n} permits taken at once; the watch's expected value moves
     * (read it before every sleep).
     *
     * @param n how many, at least 1 (and at most a BoundedSemaphore's bound)
     * @return an armed watch
     */
    Watch armAcquire(int n);

    /** The segment (for the reactive bridge and the inspector). @return the segment */
    Segment segment();

    /** Closes this handle; its waiting threads get {@link ClosedException}. */
    @Override
    void close();
}
