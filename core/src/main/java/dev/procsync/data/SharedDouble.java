package dev.procsync.data;

import static dev.procsync.layout.ValueLayout.VALUE_OFFSET;
import static dev.procsync.layout.ValueLayout.SCALAR_BODY;

import dev.procsync.internal.InternalApi;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SequenceWatch;
import dev.procsync.sync.Mutex;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A {@code double} shared between processes, stored as its raw IEEE 754 bits in a 64-bit word.
 *
 * <p>Atomic operations work on the bits: {@link #compareAndSet(double, double)} compares
 * {@link Double#doubleToRawLongBits bit patterns}, so it succeeds for a NaN expected value that is
 * the same NaN and fails for {@code 0.0} against {@code -0.0}. {@link #addAndGet(double)} and the
 * functional forms are CAS loops and never lose an update:
 *
 * <pre>{@code
 * total.addAndGet(x);          // atomic across processes
 * total.set(total.get() + x);  // loses updates, like Python's v.value += x
 * }</pre>
 *
 * <p>See {@link SharedValue} for the header check, the lock and memory consistency effects.
 */
public final class SharedDouble extends SharedValue {
    private SharedDouble(SegmentDirectory ns, String name, @Nullable Mutex lock) {
        super(ns, name, ElementType.DOUBLE, 1, SCALAR_BODY, lock);
    }

    private SharedDouble(SegmentDirectory ns, String name, double initial, @Nullable Mutex lock) {
        super(ns, name, ElementType.DOUBLE, 1, SCALAR_BODY, lock,
                s -> s.setLong(VALUE_OFFSET, Double.doubleToRawLongBits(initial)));
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
    public static SharedDouble open(SegmentDirectory ns, String name, double initial) {
        return new SharedDouble(ns, name, initial, null);
    }

    /**
     * As {@link #open(SegmentDirectory, String, double)}, associated with an existing lock.
     *
     * @param ns      the namespace
     * @param name    the value's name
     * @param initial the value it starts with, if this call creates it
     * @param lock    the Lock or RLock {@link #getLock()} returns (not closed with this handle)
     * @return a new handle
     */
    public static SharedDouble open(SegmentDirectory ns, String name, double initial, Mutex lock) {
        return new SharedDouble(ns, name, initial, java.util.Objects.requireNonNull(lock, "lock"));
    }

    /**
     * Opens or creates the named value (initially 0.0) with its own lock {@code <name>~lock}.
     *
     * @param ns   the namespace
     * @param name the value's name
     * @return a new handle
     * @throws dev.procsync.SegmentMismatchException if the name holds another type
     */
    public static SharedDouble open(SegmentDirectory ns, String name) {
        return new SharedDouble(ns, name, null);
    }

    /**
     * Opens or creates the named value, associated with an existing lock.
     *
     * @param ns   the namespace
     * @param name the value's name
     * @param lock the Lock or RLock {@link #getLock()} returns (not closed with this handle)
     * @return a new handle
     */
    public static SharedDouble open(SegmentDirectory ns, String name, Mutex lock) {
        return new SharedDouble(ns, name, java.util.Objects.requireNonNull(lock, "lock"));
    }

    /** Reads the value with volatile semantics. @return the value */
    public double get() {
        checkOpen();
        return Double.longBitsToDouble((long) DataSegments.LONG.getVolatile(view, VALUE_OFFSET));
    }

    /** Writes the value with volatile semantics. @param value the new value */
    public void set(double value) {
        checkOpen();
        DataSegments.LONG.setVolatile(view, VALUE_OFFSET, Double.doubleToRawLongBits(value));
        changed();
    }

    /** Atomically replaces. @param value the new value @return the previous value */
    public double getAndSet(double value) {
        checkOpen();
        long previous = (long) DataSegments.LONG.getAndSet(view, VALUE_OFFSET, Double.doubleToRawLongBits(value));
        changed();
        return Double.longBitsToDouble(previous);
    }

    /**
     * Atomically sets the value to {@code update} if its bits equal those of {@code expected}.
     *
     * @param expected the value it must hold (compared bit for bit)
     * @param update   the new value
     * @return whether it was set
     */
    public boolean compareAndSet(double expected, double update) {
        checkOpen();
        return changedIf(DataSegments.LONG.compareAndSet(view, VALUE_OFFSET, Double.doubleToRawLongBits(expected),
                Double.doubleToRawLongBits(update)));
    }

    /** Atomically adds (CAS loop). @param delta the addend @return the previous value */
    public double getAndAdd(double delta) {
        return update(v -> v + delta, false);
    }

    /** Atomically adds (CAS loop). @param delta the addend @return the updated value */
    public double addAndGet(double delta) {
        return update(v -> v + delta, true);
    }

    /**
     * Atomically applies a function, retrying while other processes change the value; the function
     * may run several times and must have no side effects.
     *
     * @param function the update
     * @return the updated value
     */
    public double updateAndGet(DoubleUnaryOperator function) {
        return update(function, true);
    }

    /**
     * Atomically combines the value with {@code x}; as {@link #updateAndGet}.
     *
     * @param x        the second operand
     * @param function the combination, applied as {@code function(current, x)}
     * @return the updated value
     */
    public double accumulateAndGet(double x, DoubleBinaryOperator function) {
        return update(v -> function.applyAsDouble(v, x), true);
    }

    private double update(DoubleUnaryOperator function, boolean returnNext) {
        checkOpen();
        // CAS loop on the raw bits: recompute from the witness whenever another process won the race.
        long prevBits = (long) DataSegments.LONG.getVolatile(view, VALUE_OFFSET);
        while (true) {
            double prev = Double.longBitsToDouble(prevBits);
            double next = function.applyAsDouble(prev);
            checkOpen();
            long witness = (long) DataSegments.LONG.compareAndExchange(view, VALUE_OFFSET, prevBits,
                    Double.doubleToRawLongBits(next));
            if (witness == prevBits) {
                changed();
                return returnNext ? next : prev;
            }
            prevBits = witness;
        }
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
        return isClosed() ? super.toString() : "SharedDouble[" + name() + " = " + get() + "]";
    }
}
