package dev.procsync.segment;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import dev.procsync.ClosedException;
import dev.procsync.futex.Futex;
import dev.procsync.futex.WaitResult;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One named file mapped {@code MAP_SHARED} into this process, with ordered access to its words.
 *
 * <p>All multi-byte values are little-endian and accessed through VarHandle views of a direct
 * {@link ByteBuffer} over the mapping. A release write ({@code setIntRelease}) pairs with an
 * acquire read ({@code getIntAcquire}) of the same word in any process: everything written before
 * the release is visible after the acquire. A successful {@code compareAndSet} or
 * {@code getAndAdd} is both.
 *
 * <h2>Closing without crashing</h2>
 * {@link #close()} really removes the file's pages from this process: it sets the closed flag,
 * wakes every thread of this process sleeping on one of the segment's words, and then replaces
 * the range with private anonymous memory in one {@code mmap(MAP_FIXED)}. A thread that raced the
 * close and is still between its closed-check and its access therefore touches harmless private
 * zero pages instead of faulting, and finds the closed flag on its next check. The placeholder is
 * unmapped once the base buffer (and every view derived from it) is unreachable; a segment that is
 * never closed is unmapped the same way.
 */
public final class Segment implements AutoCloseable {
    /** Largest segment: a direct ByteBuffer indexes with an int. */
    public static final long MAX_LENGTH = Integer.MAX_VALUE & ~4095L;

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final ReferenceQueue<ByteBuffer> RECLAIMED = new ReferenceQueue<>();
    private static final Set<Mapping> LIVE = ConcurrentHashMap.newKeySet();

    private final Path path;
    SegmentKind kind; // set once by SegmentFiles.open before the segment is handed out
    private final long address;
    private final int length;
    private final ByteBuffer buffer;
    private final ConcurrentHashMap<Integer, AtomicInteger> sleepers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Segment(Path path, SegmentKind kind, long address, int length) {
        this.path = path;
        this.kind = kind;
        this.address = address;
        this.length = length;
        this.buffer = new Pointer(address).getByteBuffer(0, length).order(ByteOrder.LITTLE_ENDIAN);
        LIVE.add(new Mapping(buffer, address, length));
    }

    /** The file this segment maps. */
    public Path path() {
        return path;
    }

    /** The kind stored in the header. */
    public SegmentKind kind() {
        return kind;
    }

    /** The mapped length in bytes, header included. */
    public int length() {
        return length;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Throws if closed.
     *
     * @throws ClosedException if {@link #close()} has been called
     */
    public void checkOpen() {
        if (closed) {
            throw closedException();
        }
    }

    /** The exception every use after close throws. */
    public ClosedException closedException() {
        return new ClosedException(kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " '"
                + path.getFileName() + "' is closed");
    }

    /**
     * The native address of a word, for {@link Futex} vectors; valid only while the segment is open.
     *
     * @param offset byte offset of a 4-byte-aligned word
     * @return its address
     */
    public long address(int offset) {
        checkIndex(offset, 4);
        return address + offset;
    }

    /**
     * A fresh little-endian view of the whole mapping, for bulk copies. The view keeps the mapping
     * from being reclaimed; after {@link #close()} it reads zeros instead of the file.
     */
    public ByteBuffer buffer() {
        checkOpen();
        return buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    // ---- ordered word access (offsets in bytes from the start of the file) ----

    /** Plain read. @param offset byte offset @return the value */
    public int getInt(int offset) {
        checkOpen();
        return (int) INT.get(buffer, offset);
    }

    /** Acquire read. @param offset byte offset @return the value */
    public int getIntAcquire(int offset) {
        checkOpen();
        return (int) INT.getAcquire(buffer, offset);
    }

    /** Opaque read (no ordering, never hoisted). @param offset byte offset @return the value */
    public int getIntOpaque(int offset) {
        checkOpen();
        return (int) INT.getOpaque(buffer, offset);
    }

    /** Plain write. @param offset byte offset @param value the value */
    public void setInt(int offset, int value) {
        checkOpen();
        INT.set(buffer, offset, value);
    }

    /** Release write. @param offset byte offset @param value the value */
    public void setIntRelease(int offset, int value) {
        checkOpen();
        INT.setRelease(buffer, offset, value);
    }

    /** Volatile write. @param offset byte offset @param value the value */
    public void setIntVolatile(int offset, int value) {
        checkOpen();
        INT.setVolatile(buffer, offset, value);
    }

    /**
     * Atomic compare-and-set with volatile semantics.
     *
     * @param offset   byte offset
     * @param expected the value the word must hold
     * @param value    the new value
     * @return whether the word held {@code expected} and now holds {@code value}
     */
    public boolean compareAndSetInt(int offset, int expected, int value) {
        checkOpen();
        return INT.compareAndSet(buffer, offset, expected, value);
    }

    /**
     * Atomic compare-and-exchange with volatile semantics.
     *
     * @param offset   byte offset
     * @param expected the value the word must hold
     * @param value    the new value
     * @return the value the word held (equal to {@code expected} on success)
     */
    public int compareAndExchangeInt(int offset, int expected, int value) {
        checkOpen();
        return (int) INT.compareAndExchange(buffer, offset, expected, value);
    }

    /** Atomic add. @param offset byte offset @param delta the addend @return the previous value */
    public int getAndAddInt(int offset, int delta) {
        checkOpen();
        return (int) INT.getAndAdd(buffer, offset, delta);
    }

    /** Atomic exchange. @param offset byte offset @param value the new value @return the previous value */
    public int getAndSetInt(int offset, int value) {
        checkOpen();
        return (int) INT.getAndSet(buffer, offset, value);
    }

    /** Atomic OR. @param offset byte offset @param bits bits to set @return the previous value */
    public int getAndBitwiseOrInt(int offset, int bits) {
        checkOpen();
        return (int) INT.getAndBitwiseOr(buffer, offset, bits);
    }

    /** Plain read. @param offset byte offset (8-aligned) @return the value */
    public long getLong(int offset) {
        checkOpen();
        return (long) LONG.get(buffer, offset);
    }

    /** Acquire read. @param offset byte offset (8-aligned) @return the value */
    public long getLongAcquire(int offset) {
        checkOpen();
        return (long) LONG.getAcquire(buffer, offset);
    }

    /** Opaque read. @param offset byte offset (8-aligned) @return the value */
    public long getLongOpaque(int offset) {
        checkOpen();
        return (long) LONG.getOpaque(buffer, offset);
    }

    /** Plain write. @param offset byte offset (8-aligned) @param value the value */
    public void setLong(int offset, long value) {
        checkOpen();
        LONG.set(buffer, offset, value);
    }

    /** Release write. @param offset byte offset (8-aligned) @param value the value */
    public void setLongRelease(int offset, long value) {
        checkOpen();
        LONG.setRelease(buffer, offset, value);
    }

    /** Volatile write. @param offset byte offset (8-aligned) @param value the value */
    public void setLongVolatile(int offset, long value) {
        checkOpen();
        LONG.setVolatile(buffer, offset, value);
    }

    /**
     * Atomic compare-and-set with volatile semantics.
     *
     * @param offset   byte offset (8-aligned)
     * @param expected the value the word must hold
     * @param value    the new value
     * @return whether it was set
     */
    public boolean compareAndSetLong(int offset, long expected, long value) {
        checkOpen();
        return LONG.compareAndSet(buffer, offset, expected, value);
    }

    /** Atomic add. @param offset byte offset (8-aligned) @param delta the addend @return the previous value */
    public long getAndAddLong(int offset, long delta) {
        checkOpen();
        return (long) LONG.getAndAdd(buffer, offset, delta);
    }

    /** Atomic exchange. @param offset byte offset (8-aligned) @param value the new value @return the previous value */
    public long getAndSetLong(int offset, long value) {
        checkOpen();
        return (long) LONG.getAndSet(buffer, offset, value);
    }

    // ---- sleeping ----

    /**
     * Sleeps on a word of this segment while it holds {@code expected}, for at most
     * {@code timeoutNanos}. {@link #close()} wakes the sleeper, which then sees
     * {@link ClosedException} on its next access.
     *
     * @param offset       byte offset of the word
     * @param expected     the value it must hold to sleep
     * @param timeoutNanos relative timeout; negative for none (callers slice their waits)
     * @return how the wait ended
     * @throws ClosedException if closed before the wait began
     */
    public WaitResult await(int offset, int expected, long timeoutNanos) {
        long wordAddress = address(offset);
        AtomicInteger count = sleepers.computeIfAbsent(offset, k -> new AtomicInteger());
        count.incrementAndGet();
        try {
            checkOpen();
            return Futex.await(wordAddress, expected, timeoutNanos);
        } finally {
            count.decrementAndGet();
        }
    }

    /**
     * Wakes at most {@code count} sleepers (in any process) on a word of this segment.
     *
     * @param offset byte offset of the word
     * @param count  how many; {@link Integer#MAX_VALUE} for all
     * @return how many were woken
     */
    public int wake(int offset, int count) {
        return Futex.wake(address(offset), count);
    }

    /**
     * Unmaps the file from this process. Idempotent. Threads of this process sleeping on the
     * segment's words are woken and fail with {@link ClosedException}; other processes are not
     * affected. The file stays until it is unlinked.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // Wake our own sleepers while the real pages are still mapped: their futex key is the file page.
        for (Integer offset : sleepers.keySet()) {
            Futex.wake(address + offset, Integer.MAX_VALUE);
        }
        try {
            // Swap in private zero pages in one step: racing accesses land there, never on a hole.
            long placed = Libc.mmap(address, length, Libc.PROT_READ | Libc.PROT_WRITE,
                    Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_FIXED, -1, 0);
            if (placed != address) {
                throw new IllegalStateException("mmap(MAP_FIXED) moved the placeholder for " + path);
            }
        } catch (LastErrorException e) {
            throw new IllegalStateException("cannot unmap " + path + ": " + Libc.strerror(e.getErrorCode()), e);
        }
        reclaim();
    }

    private void checkIndex(int offset, int width) {
        if (offset < 0 || offset > length - width || (offset & (width - 1)) != 0) {
            throw new IndexOutOfBoundsException("offset " + offset + " (width " + width + ") outside "
                    + length + "-byte segment " + path.getFileName());
        }
    }

    @Override
    public String toString() {
        return "Segment[" + kind + " " + path + (closed ? ", closed" : "") + "]";
    }

    /** Unmaps every mapping whose base buffer (and all its views) has become unreachable. */
    static void reclaim() {
        Reference<? extends ByteBuffer> ref;
        while ((ref = RECLAIMED.poll()) != null) {
            Mapping mapping = (Mapping) ref;
            LIVE.remove(mapping);
            try {
                Libc.munmap(mapping.address, mapping.length);
            } catch (LastErrorException e) {
                // Nothing can be done for an address range that is already gone; never crash.
            }
        }
    }

    /** Keeps the range to unmap once the base buffer is phantom-reachable. */
    private static final class Mapping extends PhantomReference<ByteBuffer> {
        final long address;
        final long length;

        Mapping(ByteBuffer base, long address, long length) {
            super(base, RECLAIMED);
            this.address = address;
            this.length = length;
        }
    }
}
