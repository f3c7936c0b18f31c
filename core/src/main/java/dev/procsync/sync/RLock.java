package dev.procsync.sync;

import static dev.procsync.layout.RLockLayout.BODY_LENGTH;
import static dev.procsync.layout.RLockLayout.COUNT_OFFSET;
import static dev.procsync.layout.RLockLayout.OWNER_DIED_OFFSET;
import static dev.procsync.layout.RLockLayout.OWNER_KEY_OFFSET;
import static dev.procsync.layout.RLockLayout.OWNER_START_OFFSET;
import static dev.procsync.layout.RLockLayout.STATE_OFFSET;

import dev.procsync.ClosedException;
import dev.procsync.futex.Spinner;
import dev.procsync.internal.InternalApi;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SegmentFiles;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A reentrant mutual-exclusion lock owned by one thread of one process, shared by every process
 * that opens the same name: the analogue of {@code multiprocessing.RLock}.
 *
 * <p>The owner is a (process, thread) pair recorded in shared memory together with a hold count.
 * The owning thread may acquire again; each {@link #acquire()} must be matched by a
 * {@link #release()}, and the lock is free when the count returns to zero. Only the owning thread
 * may release: any other thread, in this or another process, gets
 * {@link IllegalMonitorStateException}. Unlike CPython, ownership lives in the shared segment, so
 * every process can see who holds the lock ({@link #ownerPid()}).
 *
 * <h2>Waiting</h2>
 * {@link #acquire()} and {@link #tryAcquire(Duration)} return when the lock was taken. A waiter
 * spins briefly (see {@link dev.procsync.futex.SpinPolicy}) and then sleeps on the lock word; a
 * final release wakes exactly one sleeper. Waits are interruptible: {@link InterruptedException}
 * within one sleep slice of {@link Thread#interrupt()}. A zero or negative
 * timeout only tries. Closing this handle wakes its waiting threads with {@link ClosedException}.
 *
 * <h2>When the holder dies</h2>
 * The word records the holder's pid and the words beside it the holder's start time and thread.
 * A waiter checks the holder's liveness after every sleep slice (25 ms by default); if the holder
 * process is gone the waiter takes the lock over with a hold count of one, and
 * {@link #previousOwnerDied()} reports {@code true} until the lock is fully released. A live
 * holder is never forced; a thread that ends while holding the lock leaves it held, as in Java.
 * A holder that does not repair passes the signal on with {@link #releaseKeepingOwnerDied()}.
 *
 * <h2>Memory consistency effects</h2>
 * Actions in any process before the final {@link #release()} of a hold happen-before actions
 * after a subsequent successful acquire in any process.
 */
public final class RLock implements Mutex {
    /*
     * Layout (absolute offsets; the header is SegmentHeader):
     *
     *  offset  size  field
     *  128     4     state        futex word, as Lock's: owner pid | SLEEPERS (LockWord)
     *  132     4     ownerDied    1 from a takeover from a dead holder until a full release() clears it;
 *                               releaseKeepingOwnerDied() leaves it set, acquire never clears it (as Lock's)
     *  136     8     ownerStart   holder's start time (ticks), stored right after the acquiring CAS
     *  144     8     ownerKey     (pid << 32) | (Java thread id & 0xffffffff); 0 while free
     *  152     4     count        hold count, written only by the owning thread
     *  156     4     reserved
     *  160           end (file rounded to one page)
     *
     * State word (identical to Lock's; see its table):
     *  0                  free                               acquire: CAS 0 -> pid, then ownerStart, ownerKey, count=1
     *  pid                held, nobody sleeps                final release: ownerKey=0, count=0, getAndSet 0
     *  pid|SLEEPERS       held, a thread may sleep           final release: as above, then FUTEX_WAKE 1
     *  (held, pid dead)                                      waiter: CAS -> mypid|SLEEPERS, ownerDied=1, count=1
 *
 * ownerDied word: Lock's table (final release() sets 0 before the getAndSet; a final
 * releaseKeepingOwnerDied() leaves it, so the next acquirer inherits the signal).
     *
     * Who am I: the current thread owns the lock iff ownerKey == myKey. Only the owner writes its
     * own key and clears it (plain store) before the releasing getAndSet, so a thread reading its
     * own key sees its own latest write; a stale key left by a dead holder carries another pid and
     * can never match. Re-entry and inner releases therefore touch only count: no atomic at all.
     */

    private static final ProcessId ME = ProcessId.current();

    private final String name;
    private final Segment segment;
    private final RawRobustLock raw;

    private final JavaLockView javaLock;

    private RLock(String name, Segment segment, Spinner spinner, SegmentDirectory namespace) {
        this.name = name;
        this.segment = segment;
        this.raw = new RawRobustLock(segment, STATE_OFFSET, OWNER_START_OFFSET, spinner);
        this.javaLock = new JavaLockView(this, namespace);
    }

    /**
     * Opens or creates the named reentrant lock in a namespace; see {@link dev.procsync.Namespace#rlock(String)}.
     *
     * @param namespace the namespace
     * @param name      the lock's name
     * @return a new handle
     */
    public static RLock open(SegmentDirectory namespace, String name) {
        Segment segment = namespace.createOrOpen(name, SegmentSpec.of(SegmentKind.RLOCK, BODY_LENGTH), s -> { });
        return new RLock(name, segment, namespace.options().spinPolicy().newSpinner(), namespace);
    }

    /**
     * Opens or creates the RLock procsync keeps for a shared value, array or condition that was
     * given no lock of its own (Python's default {@code RLock}): the segment {@code owner + "~lock"},
     * which no user name can collide with (see {@link dev.procsync.Namespace}, "Names"). Its {@link #name()} is
     * that derived name.
     *
     * @param namespace the namespace
     * @param owner     the value's, array's or condition's name
     * @return a new handle
     */
    public static RLock openDefaultLockOf(SegmentDirectory namespace, String owner) {
        Segment segment = namespace.createOrOpenDerived(owner, "lock", SegmentSpec.of(SegmentKind.RLOCK, BODY_LENGTH),
                s -> { });
        return new RLock(owner + SegmentFiles.DERIVED_MARK + "lock", segment,
                namespace.options().spinPolicy().newSpinner(), namespace);
    }

    /** The lock's name. */
    @Override
    public String name() {
        return name;
    }

    @SuppressWarnings("deprecation") // Thread.getId: threadId() needs Java 19; ids are the same.
    private static long myKey() {
        return ((long) ME.pid() << 32) | (Thread.currentThread().getId() & 0xffff_ffffL);
    }

    /**
     * Acquires the lock, waiting as long as it takes. Returns at once, incrementing the hold
     * count, if the current thread already holds it.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws ClosedException      if this handle is closed
     */
    @Override
    public void acquire() throws InterruptedException {
        if (!tryAcquire()) {
            acquireSlow(myKey(), Timeouts.NONE);
        }
    }

    /**
     * Acquires the lock if it is free now or already held by the current thread. Never blocks;
     * one atomic operation when free, none on re-entry.
     *
     * @return whether the lock is now held by the current thread
     * @throws ClosedException if this handle is closed
     */
    @Override
    public boolean tryAcquire() {
        return tryAcquireAs(myKey()); // a thread's key, in place of a reactive owner's
    }

    /**
     * Acquires the lock, waiting at most {@code timeout}.
     *
     * @param timeout longest wait; zero or negative only tries
     * @return whether the lock is now held by the current thread ({@code false} on timeout)
     * @throws InterruptedException     if interrupted while waiting
     * @throws ClosedException          if this handle is closed
     */
    @Override
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        long nanos = Timeouts.nanos(timeout);
        return tryAcquire() || nanos > 0 && acquireSlow(myKey(), Timeouts.deadline(nanos));
    }

    /**
     * Acquires the lock, waiting at most the given time.
     *
     * @param timeout longest wait; zero or negative only tries
     * @param unit    unit of {@code timeout}
     * @return whether the lock is now held by the current thread
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Timeouts.nanos(timeout, unit);
        return tryAcquire() || nanos > 0 && acquireSlow(myKey(), Timeouts.deadline(nanos));
    }

    /**
     * Acquires the lock and returns a handle whose {@code close()} releases this one hold, for
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

    private boolean acquireSlow(long key, long deadline) throws InterruptedException {
        RawRobustLock.Acquired how = raw.lockSlow(deadline, "rlock '" + name + "'");
        if (how == RawRobustLock.Acquired.TIMED_OUT) {
            return false;
        }
        taken(key, how == RawRobustLock.Acquired.TAKEN_FROM_DEAD_OWNER);
        return true;
    }

    private void taken(long key, boolean fromDeadOwner) {
        segment.setLong(OWNER_START_OFFSET, ME.startTime());
        segment.setInt(COUNT_OFFSET, 1);
        if (fromDeadOwner) {
            segment.setInt(OWNER_DIED_OFFSET, 1);
        }
        // Release store: a peer that reads the key also sees the start time written before it.
        segment.setLongRelease(OWNER_KEY_OFFSET, key);
        // A close() that raced the CAS may have let it land on the placeholder page.
        segment.checkOpen();
    }

    /**
     * Releases one hold. When the hold count reaches zero the lock becomes free and one waiter,
     * if any sleeps, is woken.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     * @throws ClosedException              if this handle is closed
     */
    @Override
    public void release() {
        releaseOne(myKey(), false);
    }

    /**
     * Releases one hold like {@link #release()}, but when the lock becomes free it leaves the
     * owner-died signal as it is: if this hold was taken over from a dead holder (or inherited such
     * a signal), the next holder's {@link #previousOwnerDied()} reports {@code true}, until that
     * holder fully releases with {@link #release()}. For a holder that recovers the lock without
     * repairing what the dead holder left half-done, such as {@code procsync gc}.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     * @throws ClosedException              if this handle is closed
     */
    @Override
    public void releaseKeepingOwnerDied() {
        releaseOne(myKey(), true);
    }

    /**
     * Drops one hold of {@code key}; frees the word when it was the last, clearing the owner-died
     * signal unless {@code keepSignal}. Re-entrant holds touch only the count: no atomic.
     */
    private void releaseOne(long key, boolean keepSignal) {
        if (segment.getLongOpaque(OWNER_KEY_OFFSET) != key) {
            throw notOwner("release");
        }
        int count = segment.getInt(COUNT_OFFSET);
        if (count > 1) {
            segment.setInt(COUNT_OFFSET, count - 1);
        } else if (keepSignal) {
            freeWord();
        } else {
            releaseFully();
        }
    }

    /** Frees the lock whatever the count; the caller is the owner. */
    private void releaseFully() {
        segment.setInt(OWNER_DIED_OFFSET, 0);
        freeWord();
    }

    /** Frees the lock leaving ownerDied alone; the caller is the owner. */
    private void freeWord() {
        segment.setInt(COUNT_OFFSET, 0);
        segment.setLong(OWNER_KEY_OFFSET, 0);
        // The exchange is volatile: the plain stores above are visible to the next acquirer.
        raw.unlock();
    }

    IllegalMonitorStateException notOwner(String action) {
        int pid = ownerPid();
        return new IllegalMonitorStateException("cannot " + action + " rlock '" + name
                + "': not held by the current thread (" + Thread.currentThread().getName() + " of pid " + ME.pid()
                + "); " + (pid == 0 ? "it is free" : "held by a thread of pid " + pid));
    }

    /**
     * Releases every hold of the current thread at once, for a condition wait.
     *
     * @return the hold count to restore
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    int unwind(String action) {
        if (!isHeldByCurrentThread()) {
            throw notOwner(action);
        }
        int count = segment.getInt(COUNT_OFFSET);
        releaseFully();
        return count;
    }

    /**
     * Re-acquires the lock after a condition wait, ignoring interrupts (reported by the return
     * value), and restores the hold count.
     *
     * @return whether the thread was interrupted meanwhile
     */
    boolean rewind(int count) {
        boolean interrupted = false;
        while (true) {
            try {
                acquire();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        segment.setInt(COUNT_OFFSET, count);
        return interrupted;
    }

    /** Whether the current thread holds the lock. */
    public boolean isHeldByCurrentThread() {
        return segment.getLongOpaque(OWNER_KEY_OFFSET) == myKey();
    }

    /** How many holds the current thread has: zero if it does not own the lock. */
    public int holdCount() {
        return isHeldByCurrentThread() ? segment.getInt(COUNT_OFFSET) : 0;
    }

    /** Whether some thread of some process holds the lock now (a snapshot). */
    @Override
    public boolean isLocked() {
        return segment.getIntAcquire(STATE_OFFSET) != 0;
    }

    /** The pid of the owning process, or 0 if free (a snapshot). */
    @Override
    public int ownerPid() {
        return LockWord.pid(segment.getIntAcquire(STATE_OFFSET));
    }

    /**
     * Whether the current hold was taken over from a holder that died holding the lock
     * (EOWNERDEAD), or follows a {@link #releaseKeepingOwnerDied()} of such a hold with no full
     * {@link #release()} since. Reset when the lock is fully released with {@link #release()}.
     *
     * @return whether the previous holder died
     */
    @Override
    public boolean previousOwnerDied() {
        return segment.getIntAcquire(OWNER_DIED_OFFSET) != 0;
    }

    // ---- watch hook for the reactive bridge: an owner key in place of a thread ----

    /*
     * Reactive code has no stable thread, so the reactive RLock owns the lock through an owner key
     * of its own: this pid in the high half, like a thread's key, and in the low half a token with
     * bit 31 set, which no Java thread id of a live JVM reaches. The key's holder must serialise
     * its own calls (the count is written with plain stores by the owner only, as for a thread).
     */
    private static final java.util.concurrent.atomic.AtomicInteger OWNER_TOKENS =
            new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A new owner key for a holder that is not a thread (a reactive handle), unique in this process
     * and distinct from every thread's key.
     *
     * @return the key
     */
    @InternalApi
    public static long newOwnerKey() {
        int token = 0x8000_0000 | (OWNER_TOKENS.incrementAndGet() & 0x7fff_ffff);
        return ((long) ME.pid() << 32) | (token & 0xffff_ffffL);
    }

    /**
     * As {@link #tryAcquire()}, for the holder of {@code ownerKey} instead of the current thread:
     * re-enters if the key holds the lock, else takes it if free. Never blocks.
     *
     * @param ownerKey a key from {@link #newOwnerKey()}
     * @return whether the key now holds the lock
     * @throws ClosedException if this handle is closed
     */
    @InternalApi
    public boolean tryAcquireAs(long ownerKey) {
        if (segment.getLongOpaque(OWNER_KEY_OFFSET) == ownerKey) {
            int count = segment.getInt(COUNT_OFFSET);
            if (count == Integer.MAX_VALUE) {
                throw new IllegalStateException("rlock '" + name + "': maximum hold count exceeded");
            }
            segment.setInt(COUNT_OFFSET, count + 1);
            return true;
        }
        if (raw.tryLock()) {
            taken(ownerKey, false);
            return true;
        }
        return false;
    }

    /**
     * As {@link #release()}, for the holder of {@code ownerKey}.
     *
     * @param ownerKey the key that holds the lock
     * @throws IllegalMonitorStateException if the key does not hold the lock
     * @throws ClosedException              if this handle is closed
     */
    @InternalApi
    public void releaseAs(long ownerKey) {
        releaseOne(ownerKey, false);
    }

    /**
     * As {@link #releaseKeepingOwnerDied()}, for the holder of {@code ownerKey}: a hold given back
     * unused (a reactive acquire cancelled after its grant) passes the owner-died signal on.
     *
     * @param ownerKey the key that holds the lock
     * @throws IllegalMonitorStateException if the key does not hold the lock
     * @throws ClosedException              if this handle is closed
     */
    public void releaseAsKeepingOwnerDied(long ownerKey) {
        releaseOne(ownerKey, true);
    }

    /**
     * How many holds {@code ownerKey} has: zero if it does not own the lock.
     *
     * @param ownerKey a key from {@link #newOwnerKey()}
     * @return the hold count
     */
    public int holdCountOf(long ownerKey) {
        return segment.getLongOpaque(OWNER_KEY_OFFSET) == ownerKey ? segment.getInt(COUNT_OFFSET) : 0;
    }

    /**
     * Registers {@code ownerKey}'s holder as a sleeper on the lock word without blocking, as
     * {@link Lock#armAcquire()} does for a process (the word is Lock's); see {@link Watch} for the
     * contract. The watch's {@link Watch#tryComplete()} takes the lock for the key when it is free,
     * or takes it over when its holder died ({@link #previousOwnerDied()} then reports it);
     * otherwise it marks SLEEPERS on the current hold again. Giving up wakes one sleeper.
     *
     * @param ownerKey a key from {@link #newOwnerKey()}
     * @return an armed watch
     * @throws ClosedException if this handle is closed
     */
    @InternalApi
    public Watch armAcquireAs(long ownerKey) {
        return LockWordWatch.arm(segment, STATE_OFFSET, OWNER_START_OFFSET, dead -> taken(ownerKey, dead));
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
            return "RLock[" + name + ", closed]";
        }
        int pid = ownerPid();
        return "RLock[" + name + (pid == 0 ? ", free" : ", held by pid " + pid) + "]";
    }

    /** One hold on the lock; {@link #close()} releases it once. */
    public final class Hold implements Mutex.Hold {
        private boolean released;

        private Hold() {
        }

        /** Whether the hold was taken over from a dead holder. */
        public boolean previousOwnerDied() {
            return RLock.this.previousOwnerDied();
        }

        /** Releases this hold (once; later calls do nothing). */
        @Override
        public void close() {
            if (!released) {
                released = true;
                release();
            }
        }
    }
}
