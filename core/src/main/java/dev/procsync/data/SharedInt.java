package dev.procsync.data;

import static dev.procsync.layout.ValueLayout.VALUE_OFFSET;
import static dev.procsync.layout.ValueLayout.SCALAR_BODY;

import dev.procsync.internal.InternalApi;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SequenceWatch;
import dev.procsync.sync.Mutex;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * An {@code int} shared between processes, with the operations of
 * {@link java.util.concurrent.atomic.AtomicInteger}. Every read-modify-write is one atomic instruction
 * (or a CAS loop for the functional forms) on the shared word:
 *
 * <pre>{@code
 * SharedInt hits = SharedInt.open(ns, "hits");
 * hits.incrementAndGet();             // never loses an update, no lock, no syscall
 * hits.set(hits.get() + 1);           // DOES lose updates between processes: Python's v.value += 1
 * }</pre>
 *
 * <p>See {@link SharedValue} for the header check, the lock and memory consistency effects.
 */
public final class SharedInt extends SharedValue {
    private SharedInt(SegmentDirectory ns, String name, @Nullable Mutex lock) {
        super(ns, name, ElementType.INT, 1, SCALAR_BODY, lock);
    }

    private SharedInt(SegmentDirectory ns, String name, int initial, @Nullable Mutex lock) {
        super(ns, name, ElementType.INT, 1, SCALAR_BODY, lock, s -> s.setInt(VALUE_OFFSET, initial));
    }

    /**
     * Opens or creates the named value with its own lock; a process that creates it stores
     * {@code initial} before any other process can see it (Python's {@code Value(type, initial)}).
     * The initial value is applied only by the creator: opening an existing value returns its
     * current value, and passing another initial value then is not an error.
     *
     * @param ns      the namespace
     * @param name    the value's name
     * @param initial the value it starts with, if this call creates it
     * @return a new handle
     * @throws dev.procsync.SegmentMismatchException if the name holds another type
     */
    public static SharedInt open(SegmentDirectory ns, String name, int initial) {
        return new SharedInt(ns, name, initial, null);
    }

    /**
     * As {@link #open(SegmentDirectory, String, int)}, associated with an existing lock.
     *
     * @param ns      the namespace
     * @param name    the value's name
     * @param initial the value it starts with, if this call creates it
     * @param lock    the Lock or RLock {@link #getLock()} returns (not closed with this handle)
     * @return a new handle
     */
    public static SharedInt open(SegmentDirectory ns, String name, int initial, Mutex lock) {
        return new SharedInt(ns, name, initial, java.util.Objects.requireNonNull(lock, "lock"));
    }

    /**
     * Opens or creates the named value (initially 0) with its own lock {@code <name>~lock}.
     *
     * @param ns   the namespace
     * @param name the value's name
     * @return a new handle
     * @throws dev.procsync.SegmentMismatchException if the name holds another type
     */
    public static SharedInt open(SegmentDirectory ns, String name) {
        return new SharedInt(ns, name, null);
    }

    /**
     * Opens or creates the named value, associated with an existing lock.
     *
     * @param ns   the namespace
     * @param name the value's name
     * @param lock the Lock or RLock {@link #getLock()} returns (not closed with this handle)
     * @return a new handle
     */
    public static SharedInt open(SegmentDirectory ns, String name, Mutex lock) {
        return new SharedInt(ns, name, java.util.Objects.requireNonNull(lock, "lock"));
    }

    /** Reads the value with volatile semantics. @return the value */
    public int get() {
        checkOpen();
        return (int) DataSegments.INT.getVolatile(view, VALUE_OFFSET);
    }

    /** Writes the value with volatile semantics. @param value the new value */
    public void set(int value) {
        checkOpen();
        DataSegments.INT.setVolatile(view, VALUE_OFFSET, value);
        changed();
    }

    /** Atomically adds one. @return the updated value */
    public int incrementAndGet() {
        return getAndAdd(1) + 1;
    }

    /** Atomically subtracts one. @return the updated value */
    public int decrementAndGet() {
        return getAndAdd(-1) - 1;
    }

    /** Atomically adds. @param delta the addend @return the previous value */
    public int getAndAdd(int delta) {
        checkOpen();
        int previous = (int) DataSegments.INT.getAndAdd(view, VALUE_OFFSET, delta);
        changed();
        return previous;
    }

    /** Atomically adds. @param delta the addend @return the updated value */
    public int addAndGet(int delta) {
        return getAndAdd(delta) + delta;
    }

    /** Atomically replaces. @param value the new value @return the previous value */
    public int getAndSet(int value) {
        checkOpen();
        int previous = (int) DataSegments.INT.getAndSet(view, VALUE_OFFSET, value);
        changed();
        return previous;
    }

    /**
     * Atomically sets the value to {@code update} if it is {@code expected}.
     *
     * @param expected the value it must hold
     * @param update   the new value
     * @return whether it was set
     */
    public boolean compareAndSet(int expected, int update) {
        checkOpen();
        return changedIf(DataSegments.INT.compareAndSet(view, VALUE_OFFSET, expected, update));
    }

    /**
     * Atomically applies a function, retrying while other processes change the value; the function
     * may run several times and must have no side effects.
     *
     * @param function the update
     * @return the updated value
     */
    public int updateAndGet(IntUnaryOperator function) {
        // CAS loop: recompute from a fresh read whenever another process won the race.
        int prev = get();
        while (true) {
            int next = function.applyAsInt(prev);
            checkOpen();
            int witness = (int) DataSegments.INT.compareAndExchange(view, VALUE_OFFSET, prev, next);
            if (witness == prev) {
                changed();
                return next;
            }
            prev = witness;
        }
    }

    /**
     * Atomically combines the value with {@code x}; as {@link #updateAndGet}.
     *
     * @param x        the second operand
     * @param function the combination, applied as {@code function(current, x)}
     * @return the updated value
     */
    public int accumulateAndGet(int x, IntBinaryOperator function) {
        return updateAndGet(v -> function.applyAsInt(v, x));
    }

    /**
     * Registers the caller as a watcher of this value's changes without blocking, for a caller that
     * sleeps elsewhere (the reactive layer's {@code changes()}); see {@link SequenceWatch} for the
     * protocol. Every write of the value in any process wakes the watch's word while it is registered.
     *
     * @return the registered watch; close it exactly once
     * @throws dev.procsync.ClosedException if this handle is closed
     */
    @InternalApi
    public SequenceWatch armChanges() {
        return watch();
    }

    @Override
    public String toString() {
        return isClosed() ? super.toString() : "SharedInt[" + name() + " = " + get() + "]";
    }
}
