package dev.procsync.data;

import dev.procsync.segment.SegmentDirectory;
import dev.procsync.sync.Mutex;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A fixed-length {@code byte} array shared between processes; see {@link SharedArray}.
 * Bulk copies of bytes are also available through the {@link java.nio.ByteBuffer} forms.
 */
public final class SharedByteArray extends SharedArray {
    private final ByteBuffer elements;

    private SharedByteArray(SegmentDirectory ns, String name, int length, @Nullable Mutex lock) {
        super(ns, name, ElementType.BYTE, length, lock);
        this.elements = data;
    }

    private SharedByteArray(SegmentDirectory ns, String name, byte[] initial, @Nullable Mutex lock) {
        super(ns, name, ElementType.BYTE, initial.length, lock, b -> b.put(initial));
        this.elements = data;
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
    public static SharedByteArray open(SegmentDirectory ns, String name, byte[] initial) {
        return new SharedByteArray(ns, name, Objects.requireNonNull(initial, "initial").clone(), null);
    }

    /**
     * As {@link #open(SegmentDirectory, String, byte[])}, associated with an existing lock.
     *
     * @param ns      the namespace
     * @param name    the array's name
     * @param initial the elements it starts with, if this call creates it
     * @param lock    the Lock or RLock {@link #getLock()} returns (not closed with this handle)
     * @return a new handle
     */
    public static SharedByteArray open(SegmentDirectory ns, String name, byte[] initial, Mutex lock) {
        return new SharedByteArray(ns, name, Objects.requireNonNull(initial, "initial").clone(),
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
    public static SharedByteArray open(SegmentDirectory ns, String name, int length) {
        return new SharedByteArray(ns, name, length, null);
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
    public static SharedByteArray open(SegmentDirectory ns, String name, int length, Mutex lock) {
        return new SharedByteArray(ns, name, length, Objects.requireNonNull(lock, "lock"));
    }

    /**
     * Reads an element with acquire semantics (there is no byte VarHandle view of a buffer: a plain
     * read followed by an acquire fence).
     *
     * @param index the index
     * @return the element
     */
    public byte get(int index) {
        byte value = view.get(offset(index));
        VarHandle.acquireFence();
        return value;
    }

    /**
     * Writes an element with volatile-like semantics: a release fence, the plain write, a full fence.
     *
     * @param index the index
     * @param value the element
     */
    public void set(int index, byte value) {
        int offset = offset(index);
        VarHandle.releaseFence();
        view.put(offset, value);
        VarHandle.fullFence();
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
    public void copyTo(int fromIndex, byte[] dst, int dstOffset, int count) {
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
    public void copyFrom(byte[] src, int srcOffset, int toIndex, int count) {
        checkRange(toIndex, count);
        checkArray(srcOffset, count, src.length);
        elements.put(toIndex, src, srcOffset, count);
        checkOpen();
    }

    /** A copy of the whole array. @return the elements */
    public byte[] toArray() {
        byte[] out = new byte[length()];
        copyTo(0, out, 0, out.length);
        return out;
    }

    private void checkOpen() {
        segment.checkOpen();
    }
}
