package dev.procsync.sync;

import static dev.procsync.layout.ConditionLayout.WAITING;

import dev.procsync.layout.ConditionLayout;
import dev.procsync.ClosedException;
import dev.procsync.futex.Spinner;
import dev.procsync.futex.WakeIntent;
import dev.procsync.internal.InternalApi;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A condition variable bound to a {@link Lock} or an {@link RLock}, shared by every process that
 * opens the same name: the analogue of {@code multiprocessing.Condition}.
 *
 * <p>A thread that holds the lock may {@link #await()} until another thread, in any process,
 * holding the same lock calls {@link #signal(int)} or {@link #signalAll()} (Python's {@code notify(n)} and
 * {@code notify_all()}; {@code Object} already owns the names {@code notify} and {@code notifyAll}, so, like
 * {@code java.util.concurrent.locks.Condition}, this class says {@code signal}). Waiting releases the
 * lock completely (every hold of an {@code RLock}) and re-acquires it, restoring the hold count,
 * before returning or throwing. Ownership is enforced on every call, not by assertions: the
 * current thread must hold the lock, else {@link IllegalMonitorStateException}, as CPython checks
 * for both lock kinds. For an {@code RLock} the shared word records the owning thread. A plain
 * {@code Lock} is held by a process (any thread may release it), so the condition asks the lock
 * handle which of this process's threads acquired it, through its blocking methods or the
 * condition's ({@link #acquire()}, {@link #hold()}, the re-acquire after a wait): another thread
 * of the holding process is refused, and can never release the holder's lock by awaiting. If no
 * thread is known (the lock was taken through another handle of the same name, or by a reactive
 * permit, which owns it instead of a thread), holding it in this process is enough. The condition
 * itself also delegates {@link #acquire()}, {@link #release()} and {@link #hold()} to its lock, as
 * Python's does.
 *
 * <h2>Waiting</h2>
 * {@link #await(Duration)} returns {@code true} when this waiter was notified and {@code false}
 * when the timeout elapsed first; there are no spurious wake-ups. {@link #signal(int)} wakes the
 * {@code n} longest-waiting live waiters and never waits for them to run (CPython's notifier
 * blocks on a handshake with each woken waiter). {@link #awaitUntil(BooleanSupplier, Duration)}
 * is Python's {@code wait_for}: it re-tests the predicate under the lock after every wake-up and
 * returns its last value. A zero or negative timeout does not wait. If the thread
 * is interrupted while waiting, it re-acquires the lock and then throws
 * {@link InterruptedException}; a notification that raced the interrupt is not lost (the await
 * returns normally with the interrupt status set). Closing this handle wakes its waiters, which
 * re-acquire the lock and throw {@link ClosedException}. (Close the condition itself: closing only
 * its namespace also wakes them, but cannot free their slots, which then count as live waiters until
 * this process exits.) Every process must pair the name with the same lock name and kind; another
 * pairing is rejected with {@link dev.procsync.SegmentMismatchException}.
 *
 * <h2>When a waiter or the lock holder dies</h2>
 * Each waiter occupies a slot recording its pid and start time. A notifier skips (and frees) the
 * slot of a waiter whose process is gone, so a dead waiter does not absorb a notification. (The
 * notifier trusts a liveness reading of the last 20 ms, so a waiter that died within that window,
 * like one that dies just after being notified, may absorb one; {@link #signalAll()} is unaffected.)
 * The lock's
 * own owner-death recovery covers a notifier that dies holding the lock. At most {@value #SLOTS}
 * threads can wait at once on one condition; one more gets {@link TooManyWaitersException}.
 *
 * <h2>Memory consistency effects</h2>
 * Those of the lock: actions before a notify (and the release of the lock) happen-before the
 * notified waiter's return from {@code await}, which holds the lock again.
 */
public final class Condition implements AutoCloseable {
    /*
     * Layout and slot-word state table: ConditionSlots, which owns the waiter slots. This class
     * holds the lock side and the waits; every claim and notify runs under the lock, cancels without.
     */
    /** How many threads can wait at once. */
    public static final int SLOTS = ConditionLayout.SLOTS;


    private static final ProcessId ME = ProcessId.current();

    private final String name;
    private final Segment segment;
    private final Spinner spinner;
    private final @Nullable Lock lock;
    private final @Nullable RLock rlock;
    private final boolean ownsLock;
    private final ConditionSlots slots;

    private Condition(String name, Segment segment, Spinner spinner, @Nullable Lock lock, @Nullable RLock rlock,
            boolean ownsLock) {
        this.name = name;
        this.segment = segment;
        this.spinner = spinner;
        this.lock = lock;
        this.rlock = rlock;
        this.ownsLock = ownsLock;
        this.slots = new ConditionSlots(segment, "condition '" + name + "'");
    }

    /**
     * Opens or creates the named condition over a {@link Lock}; see
     * {@link dev.procsync.Namespace#condition(String, Lock)}.
     *
     * @param namespace the namespace
     * @param name      the condition's name
     * @param lock      the lock every user of the condition must pair it with
     * @return a new handle; closing it does not close the lock
     */
    public static Condition open(SegmentDirectory namespace, String name, Lock lock) {
        Objects.requireNonNull(lock, "lock");
        return new Condition(name, segment(namespace, name, SegmentKind.LOCK, lock.name()),
                namespace.options().spinPolicy().newSpinner(), lock, null, false);
    }

    /**
     * Opens or creates the named condition over an {@link RLock}; see
     * {@link dev.procsync.Namespace#condition(String, RLock)}.
     *
     * @param namespace the namespace
     * @param name      the condition's name
     * @param lock      the lock every user of the condition must pair it with
     * @param ownsLock  whether closing the condition closes the lock handle
     * @return a new handle
     */
    public static Condition open(SegmentDirectory namespace, String name, RLock lock, boolean ownsLock) {
        Objects.requireNonNull(lock, "lock");
        return new Condition(name, segment(namespace, name, SegmentKind.RLOCK, lock.name()),
                namespace.options().spinPolicy().newSpinner(), null, lock, ownsLock);
    }

    private static Segment segment(SegmentDirectory namespace, String name, SegmentKind lockKind, String lockName) {
        SegmentSpec spec = SegmentSpec.of(SegmentKind.CONDITION, ConditionLayout.BODY_LENGTH,
                List.of("slots", "lock kind", "lock name hash"), SLOTS, lockKind.code(), lockName.hashCode());
        return namespace.createOrOpen(name, spec, s -> { });
    }

    /** The condition's name. */
    public String name() {
        return name;
    }

    private String what() {
        return "condition '" + name + "'";
    }

    // ---- the lock ----

    /**
     * Acquires the underlying lock.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void acquire() throws InterruptedException {
        if (rlock != null) {
            rlock.acquire();
        } else {
            Objects.requireNonNull(lock).acquire();
        }
    }

    /**
     * Acquires the underlying lock, waiting at most {@code timeout}.
     *
     * @param timeout longest wait; zero or negative only tries
     * @return whether the lock was taken
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return rlock != null ? rlock.tryAcquire(timeout) : Objects.requireNonNull(lock).tryAcquire(timeout);
    }

    /** Releases the underlying lock (one hold of an {@code RLock}). */
    public void release() {
        if (rlock != null) {
            rlock.release();
        } else {
            Objects.requireNonNull(lock).release();
        }
    }

    /**
     * Acquires the underlying lock and returns a handle whose {@code close()} releases it.
     *
     * @return the hold
     * @throws InterruptedException if interrupted while waiting
     */
    public Hold hold() throws InterruptedException {
        acquire();
        return new Hold();
    }

    private void checkHeld(String action) {
        segment.checkOpen();
        if (rlock != null) {
            if (!rlock.isHeldByCurrentThread()) {
                throw new IllegalMonitorStateException("cannot " + action + " on " + what() + ": rlock '"
                        + rlock.name() + "' is not held by the current thread");
            }
            return;
        }
        Lock l = Objects.requireNonNull(lock);
        if (l.ownerPid() != ME.pid()) {
            throw new IllegalMonitorStateException("cannot " + action + " on " + what() + ": lock '" + l.name()
                    + "' is not held by the current thread (nor by any thread of this process)");
        }
        Thread holder = l.holderThread();
        if (holder != null && holder != Thread.currentThread()) {
            throw new IllegalMonitorStateException("cannot " + action + " on " + what() + ": lock '" + l.name()
                    + "' is held by thread '" + holder.getName() + "' of this process, not by the current thread");
        }
    }

    // ---- waiting ----

    /**
     * Releases the lock and waits until notified, then re-acquires the lock.
     *
     * @throws InterruptedException         if interrupted while waiting (the lock is held again)
     * @throws IllegalMonitorStateException if the caller does not hold the lock
     * @throws TooManyWaitersException     if {@value #SLOTS} threads already wait
     * @throws ClosedException              if this handle is closed
     */
    public void await() throws InterruptedException {
        await0(Timeouts.NONE);
    }

    /**
     * Releases the lock and waits until notified or the timeout elapses, then re-acquires the lock.
     *
     * @param timeout longest wait; zero or negative returns {@code false} at once (after the ownership check)
     * @return {@code true} if notified, {@code false} if the timeout elapsed
     * @throws InterruptedException         if interrupted while waiting (the lock is held again)
     * @throws IllegalMonitorStateException if the caller does not hold the lock
     * @throws ClosedException              if this handle is closed
     */
    public boolean await(Duration timeout) throws InterruptedException {
        long nanos = Timeouts.nanos(timeout);
        if (nanos == 0) {
            checkHeld("await");
            return false;
        }
        return await0(Timeouts.deadline(nanos));
    }

    /**
     * Waits until {@code predicate} is true, testing it under the lock first and after every
     * wake-up: Python's {@code wait_for}.
     *
     * @param predicate the condition, called with the lock held
     * @return the predicate's last value ({@code true})
     * @throws InterruptedException if interrupted while waiting (the lock is held again)
     */
    public boolean awaitUntil(BooleanSupplier predicate) throws InterruptedException {
        checkHeld("awaitUntil");
        boolean result = predicate.getAsBoolean();
        while (!result) {
            await0(Timeouts.NONE);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /**
     * Waits at most {@code timeout} for {@code predicate} to be true: Python's {@code wait_for}.
     *
     * @param predicate the condition, called with the lock held
     * @param timeout   longest total wait; zero or negative only tests the predicate
     * @return the predicate's last value: {@code false} means the timeout elapsed first
     * @throws InterruptedException     if interrupted while waiting (the lock is held again)
     */
    public boolean awaitUntil(BooleanSupplier predicate, Duration timeout) throws InterruptedException {
        long deadline = Timeouts.deadline(Timeouts.nanos(timeout));
        checkHeld("awaitUntil");
        boolean result = predicate.getAsBoolean();
        while (!result && Timeouts.remaining(deadline) > 0) {
            await0(deadline);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    private boolean await0(long deadline) throws InterruptedException {
        checkHeld("await");
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before awaiting " + what());
        }
        int word = ME.pid() | WAITING;
        int offset = slots.claim(word);
        int saved = rlock != null ? rlock.unwind("await on " + what()) : unwindLock();
        boolean notified = false;
        InterruptedException interrupted = null;
        try {
            notified = sleep(offset, word, deadline);
        } catch (InterruptedException e) {
            interrupted = e;
        } finally {
            boolean again = rlock != null ? rlock.rewind(saved) : rewindLock();
            if (again && interrupted == null) {
                Thread.currentThread().interrupt();
            }
        }
        if (interrupted != null) {
            throw interrupted;
        }
        return notified;
    }

    private int unwindLock() {
        Objects.requireNonNull(lock).release();
        return 1;
    }

    private boolean rewindLock() {
        boolean interrupted = false;
        while (true) {
            try {
                Objects.requireNonNull(lock).acquire();
                return interrupted;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    /** Sleeps on the slot; true if notified, false on timeout. Always leaves the slot freed. */
    private boolean sleep(int offset, int word, long deadline) throws InterruptedException {
        try {
            spinner.spin(() -> segment.getIntOpaque(offset) != word);
            long slice = spinner.policy().sliceNanos();
            while (true) {
                int w = segment.getIntAcquire(offset);
                if (w != word) {
                    if (w == 0) {
                        throw segment.closedException(); // our handle's close() freed the slot
                    }
                    slots.free(offset, w);
                    return true;
                }
                if (Thread.interrupted()) {
                    if (slots.free(offset, word)) {
                        throw new InterruptedException("interrupted awaiting " + what());
                    }
                    Thread.currentThread().interrupt(); // notified first: keep the notification, report later
                    continue;
                }
                long left = Timeouts.remaining(deadline);
                if (left <= 0) {
                    if (slots.free(offset, word)) {
                        return false;
                    }
                    continue; // notified at the last moment: the next round sees it
                }
                segment.await(offset, word, left, slice, WakeIntent.ALL);
                segment.checkOpen();
            }
        } finally {
            slots.forget(offset);
        }
    }

    // ---- wait hook for the reactive bridge: begin a wait, then poll its slot ----

    /**
     * Begins a wait without blocking, for a caller that waits elsewhere (the reactive poller):
     * claims a waiter slot as {@link #await()} does. The caller must hold the lock; it then releases
     * the lock itself, sleeps on the slot ({@link SlotWait#address()}, {@link SlotWait#expected()}),
     * calls {@link SlotWait#poll()} after every wake-up, and re-acquires the lock itself once
     * notified or after giving up with {@link SlotWait#cancel()}.
     *
     * @return the pending wait
     * @throws IllegalMonitorStateException if the lock is not held by the caller
     * @throws TooManyWaitersException     if every waiter slot is taken by a live waiter
     * @throws ClosedException              if this handle is closed
     */
    @InternalApi
    public SlotWait beginWait() {
        checkHeld("await");
        int word = ME.pid() | WAITING;
        return new SlotWait(slots.claim(word), word);
    }

    /**
     * {@link #beginWait()} for a lock held by a reactive permit instead of by the current thread:
     * for a condition over an {@link RLock}, held through an owner key (the reactive RLock's, see
     * {@link RLock#newOwnerKey()}); for one over a plain {@link Lock}, held by this process (the key
     * is ignored: the permit, not a thread, owns it).
     *
     * @param ownerKey the key that holds the lock
     * @return the pending wait
     * @throws TooManyWaitersException     if every waiter slot is taken by a live waiter
     * @throws IllegalMonitorStateException if the key does not hold the lock
     * @throws ClosedException              if this handle is closed
     */
    @InternalApi
    public SlotWait beginWaitAs(long ownerKey) {
        checkHeldAs(ownerKey, "await");
        int word = ME.pid() | WAITING;
        return new SlotWait(slots.claim(word), word);
    }

    /** One pending wait begun by {@link #beginWait()}; thread-safe. */
    public final class SlotWait {
        private final int offset;
        private final int word;
        private boolean done;

        private SlotWait(int offset, int word) {
            this.offset = offset;
            this.word = word;
        }

        /** The native address of this waiter's slot word. */
        public long address() {
            return segment.address(offset);
        }

        /** The value the slot word holds until this waiter is notified. */
        public int expected() {
            return word;
        }

        /**
         * Whether this waiter has been notified; frees the slot when it has. Never blocks.
         *
         * @return {@code true} once notified
         * @throws ClosedException if this handle was closed under the wait
         */
        public synchronized boolean poll() {
            if (done) {
                return true;
            }
            int w = segment.getIntAcquire(offset);
            if (w == word) {
                return false;
            }
            done = true;
            slots.forget(offset);
            if (w == 0) {
                throw segment.closedException(); // our handle's close() freed the slot
            }
            slots.free(offset, w);
            return true;
        }

        /**
         * Gives up the wait, freeing the slot unless a notification won the race.
         *
         * @return whether it had been notified (the notification is consumed, not lost)
         */
        public synchronized boolean cancel() {
            if (done) {
                return true;
            }
            done = true;
            slots.forget(offset);
            if (segment.isClosed() || slots.free(offset, word)) {
                return false;
            }
            int w = segment.getIntAcquire(offset);
            if (w != 0) {
                slots.free(offset, w);
            }
            return true;
        }
    }

    // ---- notifying ----

    /**
     * Wakes the longest-waiting live waiter, if any. Never blocks.
     *
     * @throws IllegalMonitorStateException if the caller does not hold the lock
     */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes up to {@code n} of the longest-waiting live waiters. Waiters whose process died are
     * skipped and do not count. Never blocks waiting for the woken threads.
     *
     * @param n most waiters to wake, not negative
     * @return how many were woken
     * @throws IllegalArgumentException     if {@code n} is negative
     * @throws IllegalMonitorStateException if the caller does not hold the lock
     * @throws ClosedException              if this handle is closed
     */
    public int signal(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative signal count for " + what() + ": " + n);
        }
        checkHeld("signal");
        return slots.wake(n);
    }

    /**
     * {@link #signal(int)} for a lock held by a reactive permit instead of by the current thread
     * (see {@link #beginWaitAs(long)}: over a plain {@link Lock} the key is ignored and this
     * process must hold it).
     *
     * @param ownerKey the key that holds the lock
     * @param n        most waiters to wake, not negative
     * @return how many were woken
     * @throws IllegalArgumentException     if {@code n} is negative
     * @throws IllegalMonitorStateException if the key (for a Lock: this process) does not hold the lock
     * @throws ClosedException              if this handle is closed
     */
    @InternalApi
    public int signalAs(long ownerKey, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative signal count for " + what() + ": " + n);
        }
        checkHeldAs(ownerKey, "signal");
        return slots.wake(n);
    }

    private void checkHeldAs(long ownerKey, String action) {
        segment.checkOpen();
        if (rlock == null) {
            if (Objects.requireNonNull(lock).ownerPid() != ME.pid()) {
                throw new IllegalMonitorStateException("cannot " + action + " on " + what() + ": lock '"
                        + lock.name() + "' is not held by this process");
            }
            return;
        }
        if (rlock.holdCountOf(ownerKey) == 0) {
            throw new IllegalMonitorStateException("cannot " + action + " on " + what() + ": rlock '" + rlock.name()
                    + "' is not held by the given owner");
        }
    }

    /**
     * Wakes every live waiter. Never blocks.
     *
     * @return how many were woken
     * @throws IllegalMonitorStateException if the caller does not hold the lock
     */
    public int signalAll() {
        return signal(Integer.MAX_VALUE);
    }

    /** How many threads wait now, dead waiters not yet reaped included (a snapshot). */
    public int waiterCount() {
        return slots.waiterCount();
    }

    /** The segment (for the reactive bridge and the inspector). */
    public Segment segment() {
        return segment;
    }

    /**
     * Closes this handle: frees the slots of its waiting threads (so they absorb no notification)
     * and wakes them with {@link ClosedException} once they hold the lock again. Closes the lock
     * handle too if the condition created it ({@link dev.procsync.Namespace#condition(String)}).
     */
    @Override
    public void close() {
        if (!segment.isClosed()) {
            slots.freeMine();
        }
        segment.close();
        if (ownsLock && rlock != null) {
            rlock.close();
        }
    }

    @Override
    public String toString() {
        return "Condition[" + name + (segment.isClosed() ? ", closed" : ", " + waiterCount() + " waiting") + "]";
    }

    /** A hold on the condition's lock; {@link #close()} releases it once. */
    public final class Hold implements AutoCloseable {
        private boolean released;

        private Hold() {
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
