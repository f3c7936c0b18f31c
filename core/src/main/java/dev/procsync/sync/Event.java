package dev.procsync.sync;

import static dev.procsync.layout.EventLayout.BODY_LENGTH;
import static dev.procsync.layout.EventLayout.FLAG;
import static dev.procsync.layout.EventLayout.FLAG_WORD_OFFSET;
import static dev.procsync.layout.EventLayout.ONE_WAITER;
import static dev.procsync.layout.EventLayout.STATE_OFFSET;

import dev.procsync.ClosedException;
import dev.procsync.futex.Spinner;
import dev.procsync.futex.WakeIntent;
import dev.procsync.internal.InternalApi;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A level-triggered flag shared by every process that opens the same name: the analogue of
 * {@code multiprocessing.Event}.
 *
 * <p>The flag starts lowered. {@link #set()} raises it and wakes every thread of every process
 * waiting for it; {@link #clear()} lowers it; {@link #isSet()} reads it. While the flag is raised,
 * {@link #await()} returns at once.
 *
 * <h2>Waiting</h2>
 * {@link #await()} returns when the flag has been raised. {@link #await(Duration)} returns
 * {@code true} if the flag was raised at any moment between the call and the return, and
 * {@code false} if the timeout elapsed with the flag lowered throughout. In particular a waiter
 * woken by {@link #set()} returns {@code true} even if another thread or process calls
 * {@link #clear()} before the waiter runs again: every raise is counted in the shared word, so a
 * set that happened is never lost to a clear that followed it (Python's {@code Event.wait} re-reads
 * the flag and can return {@code False} in that race). A waiter spins briefly and then sleeps;
 * {@link #set()} calls into the kernel only when some thread sleeps. Waits are interruptible:
 * {@link InterruptedException} within one sleep slice of {@link Thread#interrupt()}. A zero or
 * negative timeout only reads the flag. Closing this handle wakes its waiting threads
 * with {@link ClosedException}.
 *
 * <h2>When a peer dies</h2>
 * The flag belongs to no process: it stays as the last {@link #set()} or {@link #clear()} left it.
 * A process that exits or is killed while one of its threads waits (or a handle closed under a
 * waiting thread) leaves the shared waiter count too high, which only makes later raises call
 * {@code FUTEX_WAKE} when nobody sleeps; no waiter ever misses a raise.
 *
 * <h2>Memory consistency effects</h2>
 * Actions in any process prior to a {@link #set()} that raises the flag happen-before actions
 * following an {@link #await()}, {@link #await(Duration)} returning {@code true} or {@link #isSet()}
 * returning {@code true} that observed that raise, in any process.
 */
public final class Event implements AutoCloseable {
    /*
     * Layout (absolute offsets; the header is SegmentHeader, no params):
     *
     *  offset  size  field
     *  128     8     state: one 64-bit word, accessed only by 64-bit atomics
     *  128     4       low half  = flag word   the futex word: bit 0 FLAG, bits 1-31 raise count
     *  132     4       high half = waiters     threads in any process registered to sleep on the flag word
     *  136           end (file rounded to one page)
     *
     * Flag word (w):
     *  value             meaning                   transitions
     *  2g                lowered, g raises so far  set: CAS -> (2g+2)|FLAG, then FUTEX_WAKE all iff waiters > 0
     *                                              waiter: CAS waiters+1, then FUTEX_WAIT(flag word, 2g) in slices
     *  2g|FLAG           raised                    set: nothing (one read, no atomic, no syscall)
     *                                              clear: CAS -> 2g (raise count kept)
     *                                              await: returns at once
     * The raise count wraps at 2^31; a waiter misses a raise only if exactly 2^31 raises happen
     * between two of its reads, which are one sleep slice (25 ms) apart at most.
     *
     * A waiter registered with flag word w0 (lowered) is done as soon as the word differs from w0:
     * the only change clear() makes is to lower a raised flag, so a word different from w0 means at
     * least one set() ran since w0 was read. That is how a set followed at once by a clear still
     * completes every waiter that was registered before the set.
     *
     * Waiters sit in the high half of the same 64-bit word so that set() learns whether anyone
     * sleeps in the same CAS that raises the flag, and a waiter learns the flag word in the same
     * atomic add that registers it: no store-load fence, no lost wake-up. Dead or closed-under
     * waiters cannot unregister, so the count may drift high: harmless (a spurious wake-all).
     */
    private static final long LOW = 0xFFFF_FFFFL;

    private final String name;
    private final String what;
    private final Segment segment;
    private final Spinner spinner;
    private final Watch.Protocol protocol = new Watch.Protocol() {
        @Override
        public boolean tryComplete(int expected) {
            int word = flagWord(segment.getLongAcquire(STATE_OFFSET));
            if (word == expected && (word & FLAG) == 0) {
                return false;
            }
            segment.getAndAddLong(STATE_OFFSET, -ONE_WAITER);
            return true;
        }

        @Override
        public void disarm(int expected) {
            segment.getAndAddLong(STATE_OFFSET, -ONE_WAITER); // set() wakes all: nothing to pass on
        }
    };

    private Event(String name, Segment segment, Spinner spinner) {
        this.name = name;
        this.what = "event '" + name + "'";
        this.segment = segment;
        this.spinner = spinner;
    }

    /**
     * Opens or creates the named event in a namespace; see {@link dev.procsync.Namespace#event(String)}.
     *
     * @param namespace the namespace
     * @param name      the event's name
     * @return a new handle (a new event starts lowered)
     * @throws dev.procsync.SegmentMismatchException if the name holds another kind
     */
    public static Event open(SegmentDirectory namespace, String name) {
        Segment segment = namespace.createOrOpen(name, SegmentSpec.of(SegmentKind.EVENT, BODY_LENGTH), s -> { });
        return new Event(name, segment, namespace.options().spinPolicy().newSpinner());
    }

    private static int flagWord(long state) {
        return (int) state;
    }

    /** The event's name. */
    public String name() {
        return name;
    }

    /**
     * Whether the flag is raised now (a snapshot). One read, no atomic operation.
     *
     * @return whether the flag is raised
     * @throws ClosedException if this handle is closed
     */
    public boolean isSet() {
        return (flagWord(segment.getLongAcquire(STATE_OFFSET)) & FLAG) != 0;
    }

    /**
     * Raises the flag and wakes every thread, in every process, waiting for it. Does nothing if the
     * flag is already raised (one read). Calls into the kernel only if some thread sleeps.
     *
     * @throws ClosedException if this handle is closed
     */
    public void set() {
        while (true) {
            long state = segment.getLongAcquire(STATE_OFFSET);
            int word = flagWord(state);
            if ((word & FLAG) != 0) {
                segment.checkOpen();
                return;
            }
            // CAS: the raise and the waiter count it reports must be one atomic step (no lost wake-up).
            int raised = (word + 2) | FLAG;
            if (segment.compareAndSetLong(STATE_OFFSET, state, (state & ~LOW) | (raised & LOW))) {
                segment.checkOpen(); // a CAS racing close() may have landed on the placeholder page
                if ((state >>> 32) != 0) {
                    segment.wake(FLAG_WORD_OFFSET, Integer.MAX_VALUE);
                }
                return;
            }
        }
    }

    /**
     * Lowers the flag. Threads that call {@link #await()} afterwards wait for the next
     * {@link #set()}; threads already woken by an earlier set still return {@code true}.
     *
     * @throws ClosedException if this handle is closed
     */
    public void clear() {
        while (true) {
            long state = segment.getLongAcquire(STATE_OFFSET);
            if ((flagWord(state) & FLAG) == 0) {
                segment.checkOpen();
                return;
            }
            // CAS, not an AND: only the flag bit may change; a racing set() or waiter retries us.
            if (segment.compareAndSetLong(STATE_OFFSET, state, state & ~(long) FLAG)) {
                segment.checkOpen();
                return;
            }
        }
    }

    /**
     * Waits until the flag is raised, as long as it takes. Returns at once if it is raised.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws ClosedException      if this handle is closed
     */
    public void await() throws InterruptedException {
        awaitUntil(Timeouts.NONE);
    }

    /**
     * Waits at most {@code timeout} for the flag to be raised.
     *
     * @param timeout longest wait; zero or negative only reads the flag
     * @return {@code true} if the flag was raised at some moment during the call (even if lowered
     *         again since), {@code false} if the timeout elapsed with the flag lowered throughout
     * @throws InterruptedException     if interrupted while waiting
     * @throws ClosedException          if this handle is closed
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitUntil(Timeouts.deadline(Timeouts.nanos(timeout)));
    }

    /**
     * Waits at most the given time for the flag to be raised.
     *
     * @param timeout longest wait; zero or negative only reads the flag
     * @param unit    unit of {@code timeout}
     * @return as {@link #await(Duration)}
     * @throws InterruptedException     if interrupted while waiting
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return awaitUntil(Timeouts.deadline(Timeouts.nanos(timeout, unit)));
    }

    private boolean awaitUntil(long deadline) throws InterruptedException {
        int start = flagWord(segment.getLongAcquire(STATE_OFFSET));
        if ((start & FLAG) != 0) {
            return true;
        }
        if (Timeouts.remaining(deadline) <= 0) {
            return false;
        }
        if (spinner.spin(() -> flagWord(segment.getLongOpaque(STATE_OFFSET)) != start)) {
            return true;
        }
        Watch watch = arm();
        try {
            if (watch.expected() != start) {
                return true; // a raise happened between our first read and the registration
            }
            long slice = spinner.policy().sliceNanos();
            while (!watch.tryComplete()) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted waiting for " + what);
                }
                long left = Timeouts.remaining(deadline);
                if (left <= 0) {
                    return false;
                }
                segment.await(FLAG_WORD_OFFSET, start, left, slice, WakeIntent.ALL);
                segment.checkOpen();
            }
            return true;
        } finally {
            watch.close();
        }
    }

    /**
     * Registers the caller as a waiter on the flag word without blocking, for a poller that sleeps
     * on many words at once (the reactive layer). Follow the contract of {@link Watch}:
     * {@link Watch#tryComplete()} returns {@code true} once the flag is raised or has been raised
     * since the watch was armed (await semantics: the waiter is done, even if the flag was lowered
     * again); sleep on {@link Watch#address()} / {@link Watch#expected()} (the flag word as the
     * registration saw it) in bounded slices; {@link Watch#close()} to give up. The watch's
     * expected value never changes: any change of the word completes it.
     *
     * @return the armed watch
     * @throws ClosedException if this handle is closed
     */
    @InternalApi
    public Watch armAwait() {
        return arm();
    }

    private Watch arm() {
        // The add returns the flag word atomically with the registration: a raise after it sees us.
        long before = segment.getAndAddLong(STATE_OFFSET, ONE_WAITER);
        segment.checkOpen();
        return new Watch(segment, FLAG_WORD_OFFSET, flagWord(before), protocol);
    }

    /** Threads registered to wait on the flag word, in all processes (an estimate; may drift high). */
    int waiters() {
        return (int) (segment.getLongAcquire(STATE_OFFSET) >>> 32);
    }

    /** The segment (for the reactive bridge and the inspector). */
    public Segment segment() {
        return segment;
    }

    /** Closes this handle: unmaps it and wakes its waiting threads with {@link ClosedException}. */
    @Override
    public void close() {
        segment.close();
    }

    @Override
    public String toString() {
        if (segment.isClosed()) {
            return "Event[" + name + ", closed]";
        }
        return "Event[" + name + (isSet() ? ", set" : ", clear") + "]";
    }
}
