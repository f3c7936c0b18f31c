package dev.procsync.sync;

import dev.procsync.ClosedException;
import dev.procsync.OverReleaseException;
import dev.procsync.internal.InternalApi;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SegmentKind;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore whose count may never rise above its initial value, shared by every process
 * that opens the same name: the analogue of {@code multiprocessing.BoundedSemaphore}.
 *
 * <p>It behaves as a {@link Semaphore} created with the same number of permits, except that a
 * {@link #release()} that would raise the count above that bound is rejected with
 * {@link OverReleaseException} (an {@link IllegalStateException}) and changes nothing. Releases
 * usually guard limited-capacity resources, so releasing more than was acquired is a bug this
 * class reports.
 *
 * <p>The check is exact: the bound is compared with the very count the release replaces, in one
 * atomic compare-and-set, so concurrent releases in any number of threads and processes can never
 * push the count past the bound, and exactly those releases fail that would have passed it.
 * (CPython's check reads the value and posts in two steps, and can overshoot under a race.)
 *
 * <h2>Waiting</h2>
 * As for {@link Semaphore}: waiters spin briefly, then sleep; a release wakes at most as many
 * sleepers as permits it adds; waits are interruptible within one sleep slice; a zero or negative
 * timeout only tries; closing this handle wakes its waiting threads with
 * {@link ClosedException}.
 *
 * <h2>When a peer dies</h2>
 * In the default, plain mode permits are not owned: a permit acquired by a process that is killed
 * before releasing it is lost, and the count can then never return to the bound. A semaphore
 * created with {@link SemaphoreOptions#undoOnDeath()} records each process's permits and gives a
 * dead process's back, exactly once, to the next waiter or to {@link #recoverDeadHolders()}
 * ({@code procsync gc}); the acquirer that takes them sees {@link #previousOwnerDied()}; a process
 * releases only permits it holds. The full contract is {@link Semaphore}'s "Undo on death". A
 * process that exits or is killed while one of its threads waits leaves the shared sleeper count
 * too high, which only makes later releases call {@code FUTEX_WAKE} when nobody sleeps; no release
 * ever misses a sleeper.
 *
 * <h2>Memory consistency effects</h2>
 * Actions in any process prior to a successful {@link #release()} happen-before actions following a
 * successful "acquire" method such as {@link #acquire()} in any process. Permits given back from a
 * dead holder carry no such edge from its actions.
 */
public final class BoundedSemaphore implements CountingSemaphore {
    /*
     * Layout (absolute offsets; the header is SegmentHeader, param 0 = initial permits = bound):
     *
     *  offset  size  field
     *  128     8     state    64-bit word: low half permits (the futex word), high half sleepers
     *  136           end (file rounded to one page)
     *
     * State word (p = permits, s = sleepers, b = bound; full table and notes in RawSemaphore):
     *  p > 0          acquire: CAS p -> p-1 (no syscall)
     *  p == 0         waiter: s+1 (getAndAdd), FUTEX_WAIT(permits, 0) in slices; woken: CAS (p, s) -> (p-1, s-1)
     *  p + n <= b     release(n): CAS p -> p+n, then FUTEX_WAKE min(n, s) iff s > 0
     *  p + n > b      release(n): rejected, word unchanged (the CAS's expected value is the checked one)
     */

    private final String name;
    private final int bound;
    private final RawSemaphore raw;

    private BoundedSemaphore(String name, int bound, RawSemaphore raw) {
        this.name = name;
        this.bound = bound;
        this.raw = raw;
    }

    /**
     * Opens or creates the named bounded semaphore in the plain mode; see
     * {@link dev.procsync.Namespace#boundedSemaphore(String, int)}.
     *
     * @param namespace the namespace
     * @param name      the semaphore's name
     * @param permits   the initial and largest number of permits, 0..2^31-1; must match an existing one
     * @return a new handle
     * @throws IllegalArgumentException          if {@code permits} is negative
     * @throws dev.procsync.SegmentMismatchException if the name holds another kind, another bound or
     *                                           a semaphore in the undo-on-death mode
     */
    public static BoundedSemaphore open(SegmentDirectory namespace, String name, int permits) {
        return open(namespace, name, permits, SemaphoreOptions.plain());
    }

    /**
     * Opens or creates the named bounded semaphore in the given mode; see
     * {@link dev.procsync.Namespace#boundedSemaphore(String, int, SemaphoreOptions)}.
     *
     * @param namespace the namespace
     * @param name      the semaphore's name
     * @param permits   the initial and largest number of permits, 0..2^31-1; must match an existing one
     * @param options   the mode; must match an existing one's
     * @return a new handle
     * @throws IllegalArgumentException          if {@code permits} is negative
     * @throws dev.procsync.SegmentMismatchException if the name holds another kind, another bound or
     *                                           another mode (the message names both modes)
     */
    public static BoundedSemaphore open(SegmentDirectory namespace, String name, int permits,
            SemaphoreOptions options) {
        String what = "bounded semaphore '" + name + "'";
        Semaphore.checkPermits(permits, what);
        return new BoundedSemaphore(name, permits, RawSemaphore.open(namespace, name,
                SegmentKind.BOUNDED_SEMAPHORE, permits, permits, options, what));
    }

    /** The semaphore's name. */
    @Override
    public String name() {
        return name;
    }

    /** The bound: the initial number of permits, which the count may never exceed. */
    public int bound() {
        return bound;
    }

    /** The mode it was created with: plain, or undo on death. */
    @Override
    public SemaphoreOptions options() {
        return raw.options();
    }

    /**
     * Whether this process holds permits that a dead holder had held (undo-on-death mode); see
     * {@link Semaphore#previousOwnerDied()}. Always {@code false} in the plain mode.
     *
     * @return whether the previous holder of some permit this process holds died
     */
    @Override
    public boolean previousOwnerDied() {
        return raw.previousOwnerDied();
    }

    /**
     * The permits this process holds (undo-on-death mode; a snapshot).
     *
     * @return the count
     * @throws UnsupportedOperationException in the plain mode, which records no holders
     */
    @Override
    public int heldByThisProcess() {
        return raw.heldByThisProcess();
    }

    /**
     * Gives back, now, the permits of every holder that died (undo-on-death mode), waking the
     * waiters. Does nothing in the plain mode.
     *
     * @return how many permits came back
     * @throws ClosedException if this handle is closed
     */
    @Override
    public int recoverDeadHolders() {
        return raw.recoverDeadHolders();
    }

    /**
     * How many permits have ever been given back from dead holders (undo-on-death mode; 0 in the
     * plain mode).
     *
     * @return the count, over the semaphore's life
     */
    @Override
    public long recoveredPermits() {
        return raw.recoveredPermits();
    }

    /**
     * Acquires a permit, waiting as long as it takes.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws ClosedException      if this handle is closed
     */
    @Override
    public void acquire() throws InterruptedException {
        if (!raw.tryAcquire()) {
            raw.acquire(Timeouts.NONE);
        }
    }

    /**
     * Acquires a permit if one is available now. Never blocks; one atomic operation when it succeeds.
     *
     * @return whether a permit was taken
     * @throws ClosedException if this handle is closed
     */
    @Override
    public boolean tryAcquire() {
        return raw.tryAcquire();
    }

    /**
     * Acquires a permit, waiting at most {@code timeout}.
     *
     * @param timeout longest wait; zero or negative only tries
     * @return whether a permit was taken ({@code false} on timeout)
     * @throws InterruptedException if interrupted while waiting
     * @throws NullPointerException if {@code timeout} is null
     * @throws ClosedException      if this handle is closed
     */
    @Override
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return raw.acquire(1, Timeouts.nanos(timeout));
    }

    /**
     * Acquires a permit, waiting at most the given time.
     *
     * @param timeout longest wait; zero or negative only tries
     * @param unit    unit of {@code timeout}
     * @return whether a permit was taken ({@code false} on timeout)
     * @throws InterruptedException if interrupted while waiting
     * @throws ClosedException      if this handle is closed
     */
    @Override
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return raw.acquire(1, Timeouts.nanos(timeout, unit));
    }

    /**
     * Acquires {@code n} permits at once, waiting as long as it takes until {@code n} are free:
     * j.u.c's {@code acquire(int)}. All or none: a waiter never holds part of its permits, so two
     * waiters for many permits cannot deadlock each other. Not fair: waiters for fewer permits may
     * keep taking them first.
     *
     * @param n how many permits, 1..{@link #bound()}
     * @throws IllegalArgumentException if {@code n < 1} or {@code n} exceeds the bound
     * @throws InterruptedException     if interrupted while waiting (no permit is taken)
     * @throws ClosedException          if this handle is closed
     */
    @Override
    public void acquire(int n) throws InterruptedException {
        raw.acquire(n, Long.MAX_VALUE);
    }

    /**
     * Acquires {@code n} permits at once if that many are free now; never blocks.
     *
     * @param n how many permits, 1..{@link #bound()}
     * @return whether the permits were taken (all of them; otherwise none)
     * @throws IllegalArgumentException if {@code n < 1} or {@code n} exceeds the bound
     * @throws ClosedException          if this handle is closed
     */
    @Override
    public boolean tryAcquire(int n) {
        raw.checkAcquireCount(n);
        return n == 1 ? raw.tryAcquire() : raw.tryAcquire(n);
    }

    /**
     * Acquires {@code n} permits at once, waiting at most {@code timeout} until {@code n} are free.
     *
     * @param n       how many permits, 1..{@link #bound()}
     * @param timeout longest wait; zero or negative only tries
     * @return whether the permits were taken (all of them; on timeout none)
     * @throws IllegalArgumentException if {@code n < 1} or {@code n} exceeds the bound
     * @throws InterruptedException     if interrupted while waiting (no permit is taken)
     * @throws NullPointerException     if {@code timeout} is null
     * @throws ClosedException          if this handle is closed
     */
    @Override
    public boolean tryAcquire(int n, Duration timeout) throws InterruptedException {
        return raw.acquire(n, Timeouts.nanos(timeout));
    }

    /**
     * Acquires {@code n} permits at once, waiting at most the given time until {@code n} are free.
     *
     * @param n       how many permits, 1..{@link #bound()}
     * @param timeout longest wait; zero or negative only tries
     * @param unit    unit of {@code timeout}
     * @return whether the permits were taken (all of them; on timeout none)
     * @throws IllegalArgumentException if {@code n < 1} or {@code n} exceeds the bound
     * @throws InterruptedException     if interrupted while waiting (no permit is taken)
     * @throws ClosedException          if this handle is closed
     */
    @Override
    public boolean tryAcquire(int n, long timeout, TimeUnit unit) throws InterruptedException {
        return raw.acquire(n, Timeouts.nanos(timeout, unit));
    }

    /**
     * Acquires a permit and returns a handle whose {@code close()} releases it, for
     * try-with-resources.
     *
     * @return the hold
     * @throws InterruptedException if interrupted while waiting
     */
    public Hold hold() throws InterruptedException {
        acquire();
        return new Hold();
    }

    /**
     * Releases a permit, waking one sleeping acquirer if any sleeps.
     *
     * @throws OverReleaseException        if the count is already at the bound (nothing changes)
     * @throws IllegalMonitorStateException undo-on-death mode: if this process holds no permit
     * @throws ClosedException              if this handle is closed
     */
    @Override
    public void release() {
        release(1);
    }

    /**
     * Releases {@code n} permits in one atomic step, or none: if the count would pass the bound the
     * release is rejected and the count is unchanged. Wakes at most {@code n} sleeping acquirers.
     *
     * @param n how many permits, at least 1
     * @throws IllegalArgumentException     if {@code n < 1}
     * @throws OverReleaseException         if the count would pass the bound (nothing changes)
     * @throws IllegalMonitorStateException undo-on-death mode: if this process holds fewer than {@code n}
     * @throws ClosedException              if this handle is closed
     */
    @Override
    public void release(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("permits to release must be at least 1 for " + raw.what() + ": " + n);
        }
        if (raw.release(n) < 0) {
            throw new OverReleaseException(raw.what() + " released too many times: releasing " + n
                    + " would pass its bound of " + bound + " permits (has " + raw.available() + ")");
        }
    }

    /** The number of permits available now (a snapshot). */
    @Override
    public int availablePermits() {
        return raw.available();
    }

    /**
     * Registers the caller as a sleeper on the permit word without blocking, for the reactive
     * poller; the contract is {@link Semaphore#armAcquire()}'s.
     *
     * @return the armed watch
     * @throws ClosedException if this handle is closed
     */
    @Override
    @InternalApi
    public Watch armAcquire() {
        return raw.arm();
    }

    /**
     * As {@link #armAcquire()}, for {@code n} permits taken at once: the watch completes by taking
     * all {@code n}; its {@link Watch#expected()} is the permit count last seen, so read it again
     * before every sleep.
     *
     * @param n how many permits, 1..{@link #bound()}
     * @return the armed watch
     * @throws IllegalArgumentException if {@code n < 1} or {@code n} exceeds the bound
     * @throws ClosedException          if this handle is closed
     */
    @Override
    @InternalApi
    public Watch armAcquire(int n) {
        raw.checkAcquireCount(n);
        return n == 1 ? raw.arm() : raw.arm(n);
    }

    /** Threads registered to sleep on the permit word, in all processes (an estimate; may drift high). */
    int sleepers() {
        return raw.sleepers();
    }

    /** The segment (for the reactive bridge and the inspector). */
    @Override
    public Segment segment() {
        return raw.segment();
    }

    /** Closes this handle: unmaps it and wakes its waiting threads with {@link ClosedException}. */
    @Override
    public void close() {
        raw.segment().close();
    }

    @Override
    public String toString() {
        if (raw.segment().isClosed()) {
            return "BoundedSemaphore[" + name + ", closed]";
        }
        return "BoundedSemaphore[" + name + ", permits=" + raw.available() + "/" + bound
                + (raw.ledger() == null ? "" : ", " + raw.options()) + "]";
    }

    /** One acquired permit; {@link #close()} releases it once. */
    public final class Hold implements AutoCloseable {
        private boolean released;

        private Hold() {
        }

        /** Whether this process holds permits a dead holder had held; see {@link #previousOwnerDied()}. */
        public boolean previousOwnerDied() {
            return BoundedSemaphore.this.previousOwnerDied();
        }

        /** Releases the permit (once; later calls do nothing). */
        @Override
        public void close() {
            if (!released) {
                released = true;
                release();
            }
        }
    }
}
