package dev.procsync.sync;

import static dev.procsync.layout.LockLayout.BODY_LENGTH;
import static dev.procsync.layout.LockLayout.OWNER_DIED_OFFSET;
import static dev.procsync.layout.LockLayout.OWNER_START_OFFSET;
import static dev.procsync.layout.LockLayout.STATE_OFFSET;

import dev.procsync.ClosedException;
import dev.procsync.OverReleaseException;
import dev.procsync.futex.Spinner;
import dev.procsync.internal.InternalApi;
import dev.procsync.process.OwnerWatch;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A non-reentrant mutual-exclusion lock shared by every process that opens the same name:
 * the analogue of {@code multiprocessing.Lock}.
 *
 * <p>The lock is held by a <em>process</em>, not a thread. As in Python, any thread of any
 * process may {@link #release()} it (a hand-off between processes is legal), a second
 * {@link #acquire()} by the holder blocks (no deadlock detection), and releasing a free lock is an
 * error. Use {@code RLock} for thread ownership and reentrancy. A {@link Condition} over a lock
 * is stricter: only the thread that acquired the lock (through this handle's blocking methods or
 * the condition's) may await or signal on it.
 *
 * <h2>Waiting</h2>
 * {@link #acquire()} and {@link #tryAcquire(Duration)} return when the lock was taken. A waiter
 * spins briefly (see {@link dev.procsync.futex.SpinPolicy}) and then sleeps on the lock word; a
 * release wakes exactly one sleeper. Waits are interruptible: {@link InterruptedException} within
 * one sleep slice of {@link Thread#interrupt()}. A zero or negative timeout only tries (as in
 * java.util.concurrent). Closing this handle wakes its waiting threads with {@link ClosedException}.
 *
 * <h2>When the holder dies</h2>
 * The word records the holder's pid and the word beside it the holder's start time. A waiter
 * checks the holder's liveness after every sleep slice (25 ms by default); if the holder process
 * is gone (killed, crashed, exited without releasing) the waiter takes the lock over, and
 * {@link #previousOwnerDied()} reports {@code true} until it is released, so the new holder can
 * repair whatever the dead one left half-done. A live holder is never forced: a live process with
 * the holder's pid but another start time counts as dead (pid reuse) only after the word has stayed
 * unchanged for a grace of one second (see {@link OwnerWatch}), because a live holder shows the
 * same thing for the instant between its acquiring CAS and its start-time store. A holder that took
 * the lock over but does not repair (the {@code procsync gc} tool) passes the signal on with
 * {@link #releaseKeepingOwnerDied()}: the next holder then sees {@link #previousOwnerDied()}.
 *
 * <h2>Memory consistency effects</h2>
 * Actions in any process before a {@link #release()} happen-before actions after a subsequent
 * successful acquire in any process.
 */
public final class Lock implements Mutex {
    /*
     * Layout (absolute offsets; the header is SegmentHeader):
     *
     *  offset  size  field
     *  128     4     state        futex word, table below
     *  132     4     ownerDied    1 from a takeover from a dead holder until a release() clears it;
 *                               releaseKeepingOwnerDied() leaves it set, acquire never clears it
     *  136     8     ownerStart   holder's start time (ticks), stored right after the acquiring CAS
     *  144           end (file rounded to one page)
     *
     * State word:
     *  value              meaning                                   transitions
     *  0                  free                                      acquire: CAS 0 -> pid (no syscall)
     *  pid                held by pid, nobody sleeps                release: getAndSet 0, no wake
     *                                                               waiter: CAS pid -> pid|SLEEPERS, then FUTEX_WAIT
     *  pid|SLEEPERS       held, a thread may sleep on the word      release: getAndSet 0, FUTEX_WAKE 1
     *  (any held, pid dead)                                         waiter: CAS -> mypid|SLEEPERS, ownerDied = 1
 *
 * ownerDied word (not a futex word; written only by the holder):
 *  value  meaning                                             transitions
 *  0      the hold, if any, follows a clean release           takeover: set 1 (release store)
 *  1      a holder died and nobody repaired since             release(): set 0 before the releasing getAndSet
 *                                                             releaseKeepingOwnerDied(): unchanged, so the
 *                                                             next acquirer (CAS 0 -> pid) inherits it
     *
     * A woken waiter acquires with CAS 0 -> pid|SLEEPERS: it cannot know whether it was the last
     * sleeper, so it keeps the bit and its own release wakes one more (possibly nobody): the
     * classic three-state futex mutex with the pid in place of "1".
     */

    private static final ProcessId ME = ProcessId.current();

    private final String name;
    private final Segment segment;
    private final RawRobustLock raw;
    /*
     * The thread of this process that took the lock through this handle's blocking methods, or null
     * (free, taken by another process, through a Watch, or through another handle). Only
     * Condition reads it, to refuse another thread's await or signal. Plain accesses are enough:
     * a thread only needs to tell whether the value is itself, and it never sees its own earlier
     * store after its own later one (program order is happens-before); a reference never tears.
     * It is set after the acquiring CAS and cleared before the releasing exchange, so a cleared
     * value never erases a later holder's. (Opaque stores cost the uncontended pair about 0.6 ns
     * of its 12 in UncontendedLockBench: C2 keeps them in place around the atomics.)
     */
    private @Nullable Thread holder;

    private final JavaLockView javaLock;

    private Lock(String name, Segment segment, Spinner spinner, SegmentDirectory namespace) {
        this.name = name;
        this.segment = segment;
        this.raw = new RawRobustLock(segment, STATE_OFFSET, OWNER_START_OFFSET, spinner);
        this.javaLock = new JavaLockView(this, namespace);
    }

    /**
     * Opens or creates the named lock in a namespace; see {@link dev.procsync.Namespace#lock(String)}.
     *
     * @param namespace the namespace
     * @param name      the lock's name
     * @return a new handle
     */
    public static Lock open(SegmentDirectory namespace, String name) {
        Segment segment = namespace.createOrOpen(name, SegmentSpec.of(SegmentKind.LOCK, BODY_LENGTH), s -> { });
        return new Lock(name, segment, namespace.options().spinPolicy().newSpinner(), namespace);
    }

    /** The lock's name. */
    @Override
    public String name() {
        return name;
    }

    /**
     * Acquires the lock, waiting as long as it takes.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws ClosedException      if this handle is closed
     */
    @Override
    public void acquire() throws InterruptedException {
        if (!tryAcquire()) {
            acquireSlow(Timeouts.NONE);
        }
    }

    /**
     * Acquires the lock if it is free now. Never blocks; one atomic operation when free.
     *
     * @return whether the lock was taken
     * @throws ClosedException if this handle is closed
     */
    @Override
    public boolean tryAcquire() {
        if (raw.tryLock()) {
            taken(false);
            holder = Thread.currentThread();
            return true;
        }
        return false;
    }

    /**
     * Acquires the lock, waiting at most {@code timeout}.
     *
     * @param timeout longest wait; zero or negative only tries
     * @return whether the lock was taken ({@code false} on timeout)
     * @throws InterruptedException     if interrupted while waiting
     * @throws ClosedException          if this handle is closed
     */
    @Override
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        long nanos = Timeouts.nanos(timeout);
        return tryAcquire() || nanos > 0 && acquireSlow(Timeouts.deadline(nanos));
    }

    /**
     * Acquires the lock, waiting at most the given time.
     *
     * @param timeout longest wait; zero or negative only tries
     * @param unit    unit of {@code timeout}
     * @return whether the lock was taken
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Timeouts.nanos(timeout, unit);
        return tryAcquire() || nanos > 0 && acquireSlow(Timeouts.deadline(nanos));
    }

    /**
     * Acquires the lock and returns a handle whose {@code close()} releases it, for
     * try-with-resources.
     *
     * @return the hold
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public Hold hold() throws InterruptedException {
        acquire();
        return new Hold();
    }

    private boolean acquireSlow(long deadline) throws InterruptedException {
        RawRobustLock.Acquired how = raw.lockSlow(deadline, "lock '" + name + "'");
        if (how == RawRobustLock.Acquired.TIMED_OUT) {
            return false;
        }
        taken(how == RawRobustLock.Acquired.TAKEN_FROM_DEAD_OWNER);
        holder = Thread.currentThread();
        return true;
    }

    private void taken(boolean fromDeadOwner) {
        segment.setLongRelease(OWNER_START_OFFSET, ME.startTime());
        if (fromDeadOwner) {
            segment.setIntRelease(OWNER_DIED_OFFSET, 1);
        }
        // A close() that raced the CAS may have let it land on the placeholder page.
        segment.checkOpen();
    }

    /**
     * Releases the lock. Any thread of any process may release it. Wakes one waiter if any sleeps.
     *
     * @throws OverReleaseException if the lock is not held (released too many times)
     * @throws ClosedException       if this handle is closed
     */
    @Override
    public void release() {
        // Clear the signal only when set (rare) and only while the lock is held: a stray release of a
        // free lock must fail without erasing a signal that gc left for the next holder.
        if (segment.getInt(OWNER_DIED_OFFSET) != 0 && segment.getIntAcquire(STATE_OFFSET) != 0) {
            segment.setIntRelease(OWNER_DIED_OFFSET, 0);
        }
        releaseWord();
    }

    /**
     * Releases the lock like {@link #release()}, but leaves the owner-died signal as it is: if
     * this hold was taken over from a dead holder (or inherited such a signal), the next holder's
     * {@link #previousOwnerDied()} reports {@code true}, until that holder calls {@link #release()}.
     * For a holder that recovers the lock without repairing what the dead holder left half-done,
     * such as {@code procsync gc}. On a hold that followed a clean release it is {@link #release()}.
     *
     * @throws OverReleaseException if the lock is not held (released too many times)
     * @throws ClosedException       if this handle is closed
     */
    @Override
    public void releaseKeepingOwnerDied() {
        releaseWord();
    }

    /** Frees the word (the exchange publishes the holder's writes) and wakes one sleeper if marked. */
    private void releaseWord() {
        holder = null; // before the exchange: the next holder's store comes after it
        if (raw.unlock() == 0) {
            throw new OverReleaseException("lock '" + name + "' released too many times (it is not held)");
        }
    }

    /**
     * Registers the caller as a sleeper on the lock word without blocking, for a caller that sleeps
     * elsewhere (the reactive poller); see {@link Watch} for the contract. The watch's
     * {@link Watch#tryComplete()} takes the lock when it is free, or takes it over when its holder
     * died (then {@link #previousOwnerDied()} is true); otherwise it sets the SLEEPERS bit on the
     * word's current value again, so that the next release wakes the word, and that value becomes
     * the watch's new {@link Watch#expected()}. Giving up wakes one sleeper, in case this watch
     * absorbed the wake-up of a release.
     *
     * @return an armed watch
     * @throws ClosedException if this handle is closed
     */
    @InternalApi
    public Watch armAcquire() {
        return LockWordWatch.arm(segment, STATE_OFFSET, OWNER_START_OFFSET, this::taken);
    }

    /**
     * The thread of this process that holds the lock through this handle's blocking methods, or
     * {@code null} if none is known (free, another process, a watch, another handle).
     */
    @Nullable Thread holderThread() {
        return holder;
    }

    /** Whether some process holds the lock now (a snapshot). */
    @Override
    public boolean isLocked() {
        return segment.getIntAcquire(STATE_OFFSET) != 0;
    }

    /** The pid of the holding process, or 0 if free (a snapshot). */
    @Override
    public int ownerPid() {
        return LockWord.pid(segment.getIntAcquire(STATE_OFFSET));
    }

    /**
     * Whether the current hold was taken over from a holder that died holding the lock
     * (EOWNERDEAD), or follows a {@link #releaseKeepingOwnerDied()} of such a hold with no
     * {@link #release()} since. Reset by the next {@link #release()}; meaningful to the holder.
     *
     * @return whether the previous holder died
     */
    @Override
    public boolean previousOwnerDied() {
        return segment.getIntAcquire(OWNER_DIED_OFFSET) != 0;
    }

    /**
     * This lock as a {@link java.util.concurrent.locks.Lock}; see {@link Mutex#asJavaLock()}.
     *
     * @return the view (the same object on every call)
     */
    @Override
    public java.util.concurrent.locks.Lock asJavaLock() {
        return javaLock;
    }

    /** The segment (for the reactive bridge and the inspector). */
    @Override
    public Segment segment() {
        return segment;
    }

    /**
     * Closes this handle: unmaps it and wakes its waiting threads with {@link ClosedException}; closes
     * the condition that its {@link #asJavaLock()} view opened, if any.
     */
    @Override
    public void close() {
        javaLock.close();
        segment.close();
    }

    @Override
    public String toString() {
        if (segment.isClosed()) {
            return "Lock[" + name + ", closed]";
        }
        int pid = ownerPid();
        return "Lock[" + name + (pid == 0 ? ", free" : ", held by " + pid) + "]";
    }

    /** A hold on the lock; {@link #close()} releases it once. */
    public final class Hold implements Mutex.Hold {
        private boolean released;

        private Hold() {
        }

        /** Whether the hold was taken over from a dead holder. */
        public boolean previousOwnerDied() {
            return Lock.this.previousOwnerDied();
        }

        /** Releases the lock (once; later calls do nothing). */
        @Override
        public void close() {
            if (!released) {
                released = true;
                release();
            }
        }
    }
}
