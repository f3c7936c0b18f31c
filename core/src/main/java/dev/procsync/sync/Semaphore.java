package dev.procsync.sync;

import dev.procsync.layout.SemaphoreLayout;
import dev.procsync.ClosedException;
import dev.procsync.OverReleaseException;
import dev.procsync.internal.InternalApi;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import java.time.Duration;
import java.util.List;
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
 * Permits are not owned, so none are returned when a process dies: a permit acquired by a process
 * that is killed before releasing it is lost for good, exactly as with Python's semaphore. If
 * permits stand for something a dead process must give back, arrange it yourself (for example a
 * {@link Lock} per slot, which does recover from a dead holder). A process that exits or is
 * killed while one of its threads <em>waits</em> (or a handle closed under a waiting thread)
 * cannot unregister from the shared sleeper count, which then stays too high: later releases call
 * {@code FUTEX_WAKE} (about a microsecond) even when nobody sleeps. That is the only consequence;
 * no release ever misses a sleeper.
 *
 * <h2>Memory consistency effects</h2>
 * Actions in any process prior to calling a "release" method such as {@link #release()} happen-before
 * actions following a successful "acquire" method such as {@link #acquire()} in any process.
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
     * Opens or creates the named semaphore in a namespace; see {@link dev.procsync.Namespace#semaphore(String, int)}.
     *
     * @param namespace the namespace
     * @param name      the semaphore's name
     * @param permits   the initial number of permits, 0..{@link #MAX_PERMITS}; must match an existing one
     * @return a new handle
     * @throws IllegalArgumentException          if {@code permits} is negative
     * @throws dev.procsync.SegmentMismatchException if the name holds another kind or another initial count
     */
    public static Semaphore open(SegmentDirectory namespace, String name, int permits) {
        String what = "semaphore '" + name + "'";
        checkPermits(permits, what);
        SegmentSpec spec = SegmentSpec.of(SegmentKind.SEMAPHORE, SemaphoreLayout.BODY_LENGTH,
                List.of("permits"), permits);
        Segment segment = namespace.createOrOpen(name, spec, s -> RawSemaphore.init(s, permits));
        return new Semaphore(name, permits,
                new RawSemaphore(segment, what, MAX_PERMITS, namespace.options().spinPolicy().newSpinner()));
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
     * release, whether or not it acquired.
     *
     * @throws OverReleaseException if the count would pass {@link #MAX_PERMITS} (nothing changes)
     * @throws ClosedException       if this handle is closed
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
     * @throws IllegalArgumentException if {@code n < 1}
     * @throws OverReleaseException     if the count would pass {@link #MAX_PERMITS} (nothing changes)
     * @throws ClosedException          if this handle is closed
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
        return "Semaphore[" + name + ", permits=" + raw.available() + "]";
    }

    /** One acquired permit; {@link #close()} releases it once. */
    public final class Hold implements AutoCloseable {
        private boolean released;

        private Hold() {
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
