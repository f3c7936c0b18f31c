package dev.procsync.data;

import static dev.procsync.layout.ValueLayout.VALUE_OFFSET;
import static dev.procsync.layout.ValueLayout.SCALAR_BODY;

import dev.procsync.internal.InternalApi;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SequenceWatch;
import dev.procsync.sync.Mutex;
import org.jspecify.annotations.Nullable;

/**
 * A {@code boolean} shared between processes, stored as a 32-bit word holding 0 or 1, with the
 * operations of {@link java.util.concurrent.atomic.AtomicBoolean}. A word holding any other value
 * (written by a foreign client) reads as {@code true}.
 *
 * <p>See {@link SharedValue} for the header check, the lock and memory consistency effects.
 */
public final class SharedBoolean extends SharedValue {
    private SharedBoolean(SegmentDirectory ns, String name, @Nullable Mutex lock) {
        super(ns, name, ElementType.BOOLEAN, 1, SCALAR_BODY, lock);
    }

    private SharedBoolean(SegmentDirectory ns, String name, boolean initial, @Nullable Mutex lock) {
        super(ns, name, ElementType.BOOLEAN, 1, SCALAR_BODY, lock, s -> s.setInt(VALUE_OFFSET, initial ? 1 : 0));
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
    public static SharedBoolean open(SegmentDirectory ns, String name, boolean initial) {
        return new SharedBoolean(ns, name, initial, null);
    }

    /**
     * As {@link #open(SegmentDirectory, String, boolean)}, associated with an existing lock.
     *
     * @param ns      the namespace
     * @param name    the value's name
     * @param initial the value it starts with, if this call creates it
     * @param lock    the Lock or RLock {@link #getLock()} returns (not closed with this handle)
     * @return a new handle
     */
    public static SharedBoolean open(SegmentDirectory ns, String name, boolean initial, Mutex lock) {
        return new SharedBoolean(ns, name, initial, java.util.Objects.requireNonNull(lock, "lock"));
    }

    /**
     * Opens or creates the named value (initially false) with its own lock {@code <name>~lock}.
     *
     * @param ns   the namespace
     * @param name the value's name
     * @return a new handle
     * @throws dev.procsync.SegmentMismatchException if the name holds another type
     */
    public static SharedBoolean open(SegmentDirectory ns, String name) {
        return new SharedBoolean(ns, name, null);
    }

    /**
     * Opens or creates the named value, associated with an existing lock.
     *
     * @param ns   the namespace
     * @param name the value's name
     * @param lock the Lock or RLock {@link #getLock()} returns (not closed with this handle)
     * @return a new handle
     */
    public static SharedBoolean open(SegmentDirectory ns, String name, Mutex lock) {
        return new SharedBoolean(ns, name, java.util.Objects.requireNonNull(lock, "lock"));
    }

    /** Reads the value with volatile semantics. @return the value */
    public boolean get() {
        checkOpen();
        return (int) DataSegments.INT.getVolatile(view, VALUE_OFFSET) != 0;
    }

    /** Writes the value with volatile semantics. @param value the new value */
    public void set(boolean value) {
        checkOpen();
        DataSegments.INT.setVolatile(view, VALUE_OFFSET, value ? 1 : 0);
        changed();
    }

    /** Atomically replaces. @param value the new value @return the previous value */
    public boolean getAndSet(boolean value) {
        checkOpen();
        boolean previous = (int) DataSegments.INT.getAndSet(view, VALUE_OFFSET, value ? 1 : 0) != 0;
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
    public boolean compareAndSet(boolean expected, boolean update) {
        checkOpen();
        return changedIf(DataSegments.INT.compareAndSet(view, VALUE_OFFSET, expected ? 1 : 0, update ? 1 : 0));
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
        return isClosed() ? super.toString() : "SharedBoolean[" + name() + " = " + get() + "]";
    }
}
