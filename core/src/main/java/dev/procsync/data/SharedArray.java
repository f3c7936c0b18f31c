package dev.procsync.data;

import static dev.procsync.layout.ArrayLayout.DATA_OFFSET;

import dev.procsync.layout.HeaderLayout;
import dev.procsync.ClosedException;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SegmentKind;
import dev.procsync.sync.Mutex;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A fixed-length typed array shared by every process that opens the same name: the analogue of
 * {@code multiprocessing.Array}. The subclasses are the types: {@link SharedIntArray},
 * {@link SharedLongArray}, {@link SharedDoubleArray} and {@link SharedByteArray}.
 *
 * <p>The element type and length are fixed at creation and stored in the header; opening the name
 * with another type or length throws {@link dev.procsync.SegmentMismatchException} naming both.
 * A new array is all zeros. An index outside {@code 0..length-1} throws
 * {@link IndexOutOfBoundsException} naming the array, the index and the length.
 *
 * <h2>Element access and bulk copies</h2>
 * Element {@code get}/{@code set} have volatile semantics; int and long elements also have atomic
 * read-modify-write operations. Bulk copies ({@code copyTo}, {@code copyFrom}, and the
 * {@link ByteBuffer} forms here) move the range with one memory copy, not element by element: a
 * million doubles (8 MB) copy in about the time {@code memcpy} takes. They are plain accesses and
 * not atomic as a whole: publish a bulk fill to another process through a synchronizer (the
 * array's {@link #getLock()}, an Event, a Pipe message, a release-write of an element) so that
 * its writes happen-before the other process's reads.
 *
 * <h2>Closing</h2>
 * {@link #close()} unmaps this handle (and closes its own lock if one was opened); later use throws
 * {@link ClosedException}. The array stays in its file until it is unlinked from the namespace.
 */
public abstract sealed class SharedArray implements AutoCloseable
        permits SharedIntArray, SharedLongArray, SharedDoubleArray, SharedByteArray {
    /*
     * Layout (absolute offsets):
     *
     *  param 0  element type code (ElementType); param 1  length in elements
     *  offset  size             field
     *  128     length * size    elements, little-endian, element i at 128 + i * size (naturally aligned)
     */

    private final String name;
    private final ElementType type;
    private final int length;
    final Segment segment;
    final ByteBuffer view;
    /** The elements only, little-endian, position 0: absolute bulk operations are thread-safe on it. */
    final ByteBuffer data;
    private final LockRef lock;

    SharedArray(SegmentDirectory ns, String name, ElementType type, int length, @Nullable Mutex lock) {
        this(ns, name, type, length, lock, b -> { });
    }

    /**
     * With the initial elements a creator writes (an opener of an existing array ignores them):
     * {@code initialElements} gets a little-endian buffer of exactly the elements, position 0.
     */
    SharedArray(SegmentDirectory ns, String name, ElementType type, int length, @Nullable Mutex lock,
            Consumer<ByteBuffer> initialElements) {
        this.name = name;
        this.type = type;
        this.length = length;
        this.segment = DataSegments.open(ns, name, SegmentKind.ARRAY, type, checkLength(name, type, length),
                (long) length * type.size(), "shared array", s -> initialElements.accept(
                        s.buffer().slice(DATA_OFFSET, length * type.size()).order(ByteOrder.LITTLE_ENDIAN)));
        this.view = segment.buffer();
        this.data = view.slice(DATA_OFFSET, length * type.size()).order(ByteOrder.LITTLE_ENDIAN);
        this.lock = new LockRef(ns, name, lock);
    }

    /**
     * The largest length an array of a type may have (one segment of at most {@link Segment#MAX_LENGTH}).
     *
     * @param type the element type
     * @return the bound
     */
    public static int maxLength(ElementType type) {
        return (int) ((Segment.MAX_LENGTH - HeaderLayout.LENGTH) / type.size());
    }

    private static int checkLength(String name, ElementType type, int length) {
        if (length <= 0 || length > maxLength(type)) {
            throw new IllegalArgumentException("shared array '" + name + "': length must be 1.." + maxLength(type)
                    + " for " + type + ", got " + length);
        }
        return length;
    }

    /** The array's name in its namespace. */
    public String name() {
        return name;
    }

    /** The element type stored in the header. */
    public ElementType type() {
        return type;
    }

    /** The number of elements, fixed at creation. */
    public int length() {
        return length;
    }

    /**
     * The lock associated with this array, for compound operations: the {@code Lock} or
     * {@code RLock} given to the factory, or else the array's own {@link dev.procsync.sync.RLock}
     * named {@code <name>~lock} (Python's default; opened on first call, closed with this handle).
     *
     * @return the lock
     * @throws ClosedException if this handle is closed
     */
    public Mutex getLock() {
        segment.checkOpen();
        return lock.get();
    }

    /**
     * Copies {@code count} elements starting at {@code fromIndex} into a buffer as their raw
     * little-endian bytes ({@code count * type().size()} bytes, whatever the buffer's byte order),
     * at its position, which advances.
     *
     * @param fromIndex first element
     * @param dst       the destination
     * @param count     how many elements
     * @throws IndexOutOfBoundsException           if the range is outside the array
     * @throws java.nio.BufferOverflowException    if {@code dst} has too little room
     */
    public void copyTo(int fromIndex, ByteBuffer dst, int count) {
        checkRange(fromIndex, count);
        int bytes = count * type.size();
        if (dst.remaining() < bytes) {
            throw new java.nio.BufferOverflowException();
        }
        dst.put(dst.position(), data, fromIndex * type.size(), bytes);
        dst.position(dst.position() + bytes);
        segment.checkOpen();
    }

    /**
     * Copies {@code count} elements' raw little-endian bytes from a buffer's position (which
     * advances) into the array starting at {@code toIndex}.
     *
     * @param src     the source
     * @param toIndex first element written
     * @param count   how many elements
     * @throws IndexOutOfBoundsException          if the range is outside the array
     * @throws java.nio.BufferUnderflowException  if {@code src} has too few bytes
     */
    public void copyFrom(ByteBuffer src, int toIndex, int count) {
        checkRange(toIndex, count);
        int bytes = count * type.size();
        if (src.remaining() < bytes) {
            throw new java.nio.BufferUnderflowException();
        }
        data.put(toIndex * type.size(), src, src.position(), bytes);
        src.position(src.position() + bytes);
        segment.checkOpen();
    }

    /** The segment (for the inspector and the reactive bridge). */
    public Segment segment() {
        return segment;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return segment.isClosed();
    }

    /** Unmaps this handle and closes its own lock, if it opened one. Idempotent. */
    @Override
    public void close() {
        lock.close();
        segment.close();
    }

    /** Checks an index and the handle; returns the element's absolute byte offset. */
    final int offset(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("shared array '" + name + "': index " + index
                    + " out of bounds for length " + length);
        }
        segment.checkOpen();
        return DATA_OFFSET + index * type.size();
    }

    /** Checks a range of elements and the handle. */
    final void checkRange(int index, int count) {
        if (count < 0 || index < 0 || index > length - count) {
            throw new IndexOutOfBoundsException("shared array '" + name + "': range [" + index + ", " + index
                    + " + " + count + ") out of bounds for length " + length);
        }
        segment.checkOpen();
    }

    /** Checks a Java array range. */
    static void checkArray(int offset, int count, int arrayLength) {
        Objects.checkFromIndexSize(offset, count, arrayLength);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", " + type + "[" + length + "]"
                + (isClosed() ? ", closed" : "") + "]";
    }
}
