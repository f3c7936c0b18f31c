package dev.procsync.data;

import dev.procsync.segment.SegmentDirectory;
import dev.procsync.sync.Mutex;
import java.nio.DoubleBuffer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A fixed-length {@code double} array shared between processes; see {@link SharedArray}.
 * Elements are stored as raw IEEE 754 bits, little-endian.
 */
public final class SharedDoubleArray extends SharedArray {
    private final DoubleBuffer elements;

    private SharedDoubleArray(SegmentDirectory ns, String name, int length, @Nullable Mutex lock) {
        super(ns, name, ElementType.DOUBLE, length, lock);
        this.elements = data.asDoubleBuffer();
    }

    private SharedDoubleArray(SegmentDirectory ns, String name, double[] initial, @Nullable Mutex lock) {
        super(ns, name, ElementType.DOUBLE, initial.length, lock, b -> b.asDoubleBuffer().put(initial));
        this.elements = data.asDoubleBuffer();
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
    public static SharedDoubleArray open(SegmentDirectory ns, String name, double[] initial) {
        return new SharedDoubleArray(ns, name, Objects.requireNonNull(initial, "initial").clone(), null);
    }

    /**
     * As {@link #open(SegmentDirectory, String, double[])}, associated with an existing lock.
     *
     * @param ns      the namespace
     * @param name    the array's name
     * @param initial the elements it starts with, if this call creates it
     * @param lock    the Lock or RLock {@link #getLock()} returns (not closed with this handle)
     * @return a new handle
     */
    public static SharedDoubleArray open(SegmentDirectory ns, String name, double[] initial, Mutex lock) {
        return new SharedDoubleArray(ns, name, Objects.requireNonNull(initial, "initial").clone(),
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
    public static SharedDoubleArray open(SegmentDirectory ns, String name, int length) {
        return new SharedDoubleArray(ns, name, length, null);
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
    public static SharedDoubleArray open(SegmentDirectory ns, String name, int length, Mutex lock) {
        return new SharedDoubleArray(ns, name, length, Objects.requireNonNull(lock, "lock"));
    }

    /** Reads an element with volatile semantics. @param index the index @return the element */
    public double get(int index) {
        return Double.longBitsToDouble((long) DataSegments.LONG.getVolatile(view, offset(index)));
    }

    /** Writes an element with volatile semantics. @param index the index @param value the element */
    public void set(int index, double value) {
        DataSegments.LONG.setVolatile(view, offset(index), Double.doubleToRawLongBits(value));
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
    public void copyTo(int fromIndex, double[] dst, int dstOffset, int count) {
        checkRange(fromIndex, count);
        checkArray(dstOffset, count, dst.length);
        elements.get(fromIndex, dst, dstOffset, count);
        checkOpen();
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
    public void copyFrom(double[] src, int srcOffset, int toIndex, int count) {
        checkRange(toIndex, count);
        checkArray(srcOffset, count, src.length);
        elements.put(toIndex, src, srcOffset, count);
        checkOpen();
    }

    /** A copy of the whole array. @return the elements */
    public double[] toArray() {
        double[] out = new double[length()];
        copyTo(0, out, 0, out.length);
        return out;
    }

    private void checkOpen() {
        segment.checkOpen();
    }
}
