package dev.procsync.data;

import dev.procsync.segment.SegmentDirectory;
import dev.procsync.sync.Mutex;
import java.nio.LongBuffer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A fixed-length {@code long} array shared between processes; see {@link SharedArray}. Elements
 * have the atomic operations of {@link java.util.concurrent.atomic.AtomicLongArray}:
 * {@code incrementAndGet(i)} never loses an update between processes, {@code set(i, get(i) + 1)} does.
 */
public final class SharedLongArray extends SharedArray {
    private final LongBuffer elements;

    private SharedLongArray(SegmentDirectory ns, String name, int length, @Nullable Mutex lock) {
        super(ns, name, ElementType.LONG, length, lock);
        this.elements = data.asLongBuffer();
    }

    private SharedLongArray(SegmentDirectory ns, String name, long[] initial, @Nullable Mutex lock) {
        super(ns, name, ElementType.LONG, initial.length, lock, b -> b.asLongBuffer().put(initial));
        this.elements = data.asLongBuffer();
    }

    /**
     * Opens or creates the named array from values, with its own lock: a process that creates it
     * stores {@code initial} (its length is the array's) before any other process can see it
     * (Python's {@code Array(type, [values])}). The values are applied only by the creator:
     * opening an existing array of the same length returns its current elements, and passing
     * other values then is not an error.
     *
     * @param ns      the namespace
     * @param name    the array's name
     * @param initial the elements it starts with, if this call creates it; not copied later
     * @return a new handle
     * @throws IllegalArgumentException               if {@code initial} is empty or too long
     * @throws dev.procsync.SegmentMismatchException if the name holds another type or length
     */
    public static SharedLongArray open(SegmentDirectory ns, String name, long[] initial) {
        return new SharedLongArray(ns, name, Objects.requireNonNull(initial, "initial").clone(), null);
    }

    /**
     * As {@link #open(SegmentDirectory, String, long[])}, associated with an existing lock.
     *
     * @param ns      the namespace
     * @param name    the array's name
     * @param initial the elements it starts with, if this call creates it
     * @param lock    the Lock or RLock {@link #getLock()} returns (not closed with this handle)
     * @return a new handle
     */
    public static SharedLongArray open(SegmentDirectory ns, String name, long[] initial, Mutex lock) {
        return new SharedLongArray(ns, name, Objects.requireNonNull(initial, "initial").clone(),
                Objects.requireNonNull(lock, "lock"));
    }

    /**
     * Opens or creates the named array (initially zeros) with its own lock {@code <name>~lock}.
     *
     * @param ns     the namespace
     * @param name   the array's name
     * @param length the number of elements; must match an existing array's
     * @return a new handle
     * @throws IllegalArgumentException               if the length is not positive or too large
     * @throws dev.procsync.SegmentMismatchException if the name holds another type or length
     */
    public static SharedLongArray open(SegmentDirectory ns, String name, int length) {
        return new SharedLongArray(ns, name, length, null);
    }

    /**
     * Opens or creates the named array, associated with an existing lock.
     *
     * @param ns     the namespace
     * @param name   the array's name
     * @param length the number of elements
     * @param lock   the Lock or RLock {@link #getLock()} returns (not closed with this handle)
     * @return a new handle
     */
    public static SharedLongArray open(SegmentDirectory ns, String name, int length, Mutex lock) {
        return new SharedLongArray(ns, name, length, Objects.requireNonNull(lock, "lock"));
    }

    /** Reads an element with volatile semantics. @param index the index @return the element */
    public long get(int index) {
        return (long) DataSegments.LONG.getVolatile(view, offset(index));
    }

    /** Writes an element with volatile semantics. @param index the index @param value the element */
    public void set(int index, long value) {
        DataSegments.LONG.setVolatile(view, offset(index), value);
    }

    /** Atomically adds to an element. @param index the index @param delta the addend @return the previous value */
    public long getAndAdd(int index, long delta) {
        return (long) DataSegments.LONG.getAndAdd(view, offset(index), delta);
    }

    /** Atomically adds to an element. @param index the index @param delta the addend @return the updated value */
    public long addAndGet(int index, long delta) {
        return getAndAdd(index, delta) + delta;
    }

    /** Atomically adds one to an element. @param index the index @return the updated value */
    public long incrementAndGet(int index) {
        return getAndAdd(index, 1) + 1;
    }

    /** Atomically replaces an element. @param index the index @param value the new value @return the previous value */
    public long getAndSet(int index, long value) {
        return (long) DataSegments.LONG.getAndSet(view, offset(index), value);
    }

    /**
     * Atomically sets an element to {@code update} if it is {@code expected}.
     *
     * @param index    the index
     * @param expected the value it must hold
     * @param update   the new value
     * @return whether it was set
     */
    public boolean compareAndSet(int index, long expected, long update) {
        return DataSegments.LONG.compareAndSet(view, offset(index), expected, update);
    }

    /**
     * Copies a range of the array into a Java array with one memory copy.
     *
     * @param fromIndex first element of this array
     * @param dst       the destination
     * @param dstOffset first index written in {@code dst}
     * @param count     how many elements
     * @throws IndexOutOfBoundsException if either range is out of bounds
     */
    public void copyTo(int fromIndex, long[] dst, int dstOffset, int count) {
        checkRange(fromIndex, count);
        checkArray(dstOffset, count, dst.length);
        elements.get(fromIndex, dst, dstOffset, count);
        segment.checkOpen();
    }

    /**
     * Copies a range of a Java array into this array with one memory copy.
     *
     * @param src       the source
     * @param srcOffset first index read in {@code src}
     * @param toIndex   first element of this array written
     * @param count     how many elements
     * @throws IndexOutOfBoundsException if either range is out of bounds
     */
    public void copyFrom(long[] src, int srcOffset, int toIndex, int count) {
        checkRange(toIndex, count);
        checkArray(srcOffset, count, src.length);
        elements.put(toIndex, src, srcOffset, count);
        segment.checkOpen();
    }

    /** A copy of the whole array. @return the elements */
    public long[] toArray() {
        long[] out = new long[length()];
        copyTo(0, out, 0, out.length);
        return out;
    }
}
