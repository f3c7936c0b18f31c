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
 * A counting semaphore shared by every process that opens the same name: the analogue of
 * {@code multiprocessing.Semaphore}.
 *
 * <p>Conceptually, a semaphore maintains a set of permits. Each {@link #acquire()} blocks if
 * necessary until a permit is available, and then takes it. Each {@link #release()} adds a permit,
 * potentially releasing a blocking acquirer. No actual permit objects are used; the semaphore just
 * keeps a count, from 0 to {@link #MAX_PERMITS}, in shared memory. As in Python, a semaphore has no
 * owner: any thread of any process may release, including one that never acquired, and releasing
 * may raise the count above its initial value (use {@link BoundedSemaphore} to forbid that).
 * Acquisition is not fair: a thread that arrives while permits are free may take one ahead of
 * sleeping waiters.
 *
 * <h2>Waiting</h2>
 * {@link #acquire()} and {@link #tryAcquire(Duration)} return when a permit was taken. A waiter
 * spins briefly (see {@link dev.procsync.futex.SpinPolicy}) and then sleeps on the permit word;
 * {@link #release(int) release(n)} wakes at most {@code n} sleepers, and calls into the kernel only
 * when some thread sleeps. Waits are interruptible: {@link InterruptedException} within one sleep
 * slice of {@link Thread#interrupt()}. A zero or negative timeout only tries.
 * Closing this handle wakes its waiting threads with {@link ClosedException}.
 *
 * <h2>When a peer dies</h2>
 * In the default, plain mode permits are not owned, so none are returned when a process dies: a
 * permit acquired by a process that is killed before releasing it is lost for good, exactly as
 * with Python's semaphore. The undo-on-death mode below gives them back. In either mode, a process
 * that exits or is killed while one of its threads <em>waits</em> (or a handle closed under a
 * waiting thread) cannot unregister from the shared sleeper count, which then stays too high:
 * later releases call {@code FUTEX_WAKE} (about a microsecond) even when nobody sleeps. That is the
 * only consequence; no release ever misses a sleeper.
 *
 * <h2>Undo on death</h2>
 * A semaphore created with {@link SemaphoreOptions#undoOnDeath()} (SysV's {@code SEM_UNDO}) records
 * in its segment how many permits each process holds. Permits then belong to the process (any of
 * its threads) that acquired them: a process may release only permits it holds
 * ({@link IllegalMonitorStateException} otherwise, nothing changed), so the total number of permits
 * never changes. When a process dies (exit without release, crash, {@code SIGKILL} at any
 * instruction) its permits come back, exactly once:
 * <ul>
 *   <li>to the next waiter: a thread (or reactive subscriber) waiting for permits that are not
 *       free looks for dead holders when it starts to sleep and then once per sleep slice (25 ms)
 *       of its handle, gives their permits back and wakes every sleeper;</li>
 *   <li>or to whoever calls {@link #recoverDeadHolders()}, as {@code procsync gc} does.</li>
 * </ul>
 * Nothing comes back while nobody waits and nobody calls {@code gc}: the permits are then free
 * for no one to take. A holder is dead when no process has its pid with the start time it recorded
 * (pid reuse is recognised at once). Who is told: an acquire that takes permits given back from
 * a dead holder makes {@link #previousOwnerDied()} {@code true} for the acquiring process, like
 * {@link Lock#previousOwnerDied()}, until it has released as many permits as it inherited;
 * {@link #recoveredPermits()} counts every permit ever given back. A live holder is never robbed.
 * Every change of the count takes a short robust lock in the segment (the "book", whose dead holder
 * is detected and whose half-done update is rolled back from a journal), so an acquire or release
 * costs more than in the plain mode (the book's two atomics and a few stores), and the plain mode
 * nothing. At most {@link SemaphoreOptions#maxHolders()} processes hold permits at once (a process
 * keeps its slot while it holds none, until another process needs it): an acquire by one more
 * fails with {@link TooManyHoldersException} and takes nothing. Other procsync clients that do not
 * know the mode (older versions, the Python client) refuse to open such a semaphore rather than
 * ignore its records. In this mode
 * {@link #tryAcquire()} may wait for the book, which another process holds for a few
 * instructions (longer only if that process is stopped; a dead one is taken over).
 *
 * <h2>Memory consistency effects</h2>
 * Actions in any process prior to calling a "release" method such as {@link #release()} happen-before
 * actions following a successful "acquire" method such as {@link #acquire()} in any process. In the
 * undo-on-death mode, permits given back from a dead holder carry no such edge from the dead
 * holder's actions (it never released): a new holder told by {@link #previousOwnerDied()} must
 * assume whatever the permit guarded was left half-done.
 */
public final class Semaphore implements CountingSemaphore {
    /*
     * Layout (absolute offsets; the header is SegmentHeader, param 0 = initial permits):
     *
     *  offset  size  field
     *  128     8     state    64-bit word: low half permits (the futex word), high half sleepers
     *  136           end (file rounded to one page)
     *
     * State word (p = permits, s = sleepers; full table and algorithm notes in RawSemaphore):
     *  p > 0          acquire: CAS p -> p-1 (no syscall)
     *  p == 0         waiter: s+1 (getAndAdd), FUTEX_WAIT(permits, 0) in slices; woken: CAS (p, s) -> (p-1, s-1)
     *  any            release(n): CAS p -> p+n if p+n <= 2^31-1, then FUTEX_WAKE min(n, s) iff s > 0
     */

    /** The largest permit count a semaphore holds: 2^31-1, Linux's {@code SEM_VALUE_MAX}. */
    public static final int MAX_PERMITS = Integer.MAX_VALUE;

    private final String name;
    private final int initialPermits;
    private final RawSemaphore raw;

    private Semaphore(String name, int initialPermits, RawSemaphore raw) {
        this.name = name;
        this.initialPermits = initialPermits;
        this.raw = raw;
    }

    /**
     * Opens or creates the named semaphore in a namespace, in the plain mode; see
     * {@link dev.procsync.Namespace#semaphore(String, int)}.
     *
     * @param namespace the namespace
     * @param name      the semaphore's name
     * @param permits   the initial number of permits, 0..{@link #MAX_PERMITS}; must match an existing one
     * @return a new handle
     * @throws IllegalArgumentException          if {@code permits} is negative
     * @throws dev.procsync.SegmentMismatchException if the name holds another kind, another initial count
     *                                           or a semaphore in the undo-on-death mode
     */
    public static Semaphore open(SegmentDirectory namespace, String name, int permits) {
        return open(namespace, name, permits, SemaphoreOptions.plain());
    }

    /**
     * Opens or creates the named semaphore in a namespace, in the given mode; see
     * {@link dev.procsync.Namespace#semaphore(String, int, SemaphoreOptions)}.
     *
     * @param namespace the namespace
     * @param name      the semaphore's name
     * @param permits   the initial number of permits, 0..{@link #MAX_PERMITS}; must match an existing one
     * @param options   the mode; must match an existing one's
     * @return a new handle
     * @throws IllegalArgumentException          if {@code permits} is negative
     * @throws dev.procsync.SegmentMismatchException if the name holds another kind, another initial count
     *                                           or another mode (the message names both modes)
     */
    public static Semaphore open(SegmentDirectory namespace, String name, int permits, SemaphoreOptions options) {
        String what = "semaphore '" + name + "'";
        checkPermits(permits, what);
        return new Semaphore(name, permits, RawSemaphore.open(namespace, name, SegmentKind.SEMAPHORE, permits,
                MAX_PERMITS, options, what));
    }

    static void checkPermits(int permits, String what) {
        if (permits < 0) {
            throw new IllegalArgumentException("negative initial permits for " + what + ": " + permits);
        }
    }

    /** The semaphore's name. */
    @Override
    public String name() {
        return name;
    }

    /** The initial number of permits it was created with. */
    public int initialPermits() {
        return initialPermits;
    }

    /** The mode it was created with: plain, or undo on death. */
    @Override
    public SemaphoreOptions options() {
        return raw.options();
    }

    /**
     * Whether this process holds permits that a dead holder had held (undo-on-death mode; see
     * "Undo on death" above): set when an acquire of this process takes permits given back from a
     * dead process, cleared once this process has released as many. Always {@code false} in the
     * plain mode.
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
     * waiters; what a waiter does by itself once per sleep slice. Does nothing in the plain mode.
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
     * @param n how many permits, 1..{@link #MAX_PERMITS}
     * @throws IllegalArgumentException if {@code n < 1}
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
     * @param n how many permits, 1..{@link #MAX_PERMITS}
     * @return whether the permits were taken (all of them; otherwise none)
     * @throws IllegalArgumentException if {@code n < 1}
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
     * @param n       how many permits, 1..{@link #MAX_PERMITS}
     * @param timeout longest wait; zero or negative only tries
     * @return whether the permits were taken (all of them; on timeout none)
     * @throws IllegalArgumentException if {@code n < 1}
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
     * @param n       how many permits, 1..{@link #MAX_PERMITS}
     * @param timeout longest wait; zero or negative only tries
     * @param unit    unit of {@code timeout}
     * @return whether the permits were taken (all of them; on timeout none)
     * @throws IllegalArgumentException if {@code n < 1}
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
     * Releases a permit, waking one sleeping acquirer if any sleeps. Any thread of any process may
     * release, whether or not it acquired (in the undo-on-death mode: any thread of a process that
     * holds a permit).
     *
     * @throws OverReleaseException        if the count would pass {@link #MAX_PERMITS} (nothing changes)
     * @throws IllegalMonitorStateException undo-on-death mode: if this process holds no permit
     * @throws ClosedException              if this handle is closed
     */
    @Override
    public void release() {
        release(1);
    }

    /**
     * Releases {@code n} permits in one atomic step, waking at most {@code n} sleeping acquirers
     * (exactly as many as sleep, up to {@code n}). Python's {@code threading.Semaphore.release(n)}.
     *
     * @param n how many permits, at least 1
     * @throws IllegalArgumentException     if {@code n < 1}
     * @throws OverReleaseException         if the count would pass {@link #MAX_PERMITS} (nothing changes)
     * @throws IllegalMonitorStateException undo-on-death mode: if this process holds fewer than {@code n}
     * @throws ClosedException              if this handle is closed
     */
    @Override
    public void release(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("permits to release must be at least 1 for " + raw.what() + ": " + n);
        }
        int before = raw.release(n);
        if (before < 0) {
            throw new OverReleaseException(raw.what() + " cannot hold more than " + MAX_PERMITS
                    + " permits (has " + raw.available() + ", releasing " + n + ")");
        }
    }

    /** The number of permits available now (a snapshot). */
    @Override
    public int availablePermits() {
        return raw.available();
    }

    /**
     * Registers the caller as a sleeper on the permit word without blocking, for a poller that sleeps
     * on many words at once (the reactive layer). Follow the contract of {@link Watch}: call
     * {@link Watch#tryComplete()} first and after every wake-up (on {@code true} a permit was taken:
     * the caller now holds it and must release it), sleep on {@link Watch#address()} /
     * {@link Watch#expected()} (always 0: "no permits") in bounded slices, and {@link Watch#close()}
     * to give up.
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
     * @param n how many permits, 1..{@link #MAX_PERMITS}
     * @return the armed watch
     * @throws IllegalArgumentException if {@code n < 1}
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
            return "Semaphore[" + name + ", closed]";
        }
        return "Semaphore[" + name + ", permits=" + raw.available()
                + (raw.ledger() == null ? "" : ", " + raw.options()) + "]";
    }

    /** One acquired permit; {@link #close()} releases it once. */
    public final class Hold implements AutoCloseable {
        private boolean released;

        private Hold() {
        }

        /** Whether this process holds permits a dead holder had held; see {@link Semaphore#previousOwnerDied()}. */
        public boolean previousOwnerDied() {
            return Semaphore.this.previousOwnerDied();
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
