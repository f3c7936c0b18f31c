package dev.procsync.segment;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import dev.procsync.ClosedException;
import dev.procsync.InvalidSegmentException;
import dev.procsync.futex.Futex;
import dev.procsync.futex.WaitResult;
import dev.procsync.futex.WakeIntent;
import dev.procsync.internal.engine.VirtualWait;
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
 *
 * <h2>A file shrunk while mapped</h2>
 * A process that may write the file can {@code ftruncate} it while others have it mapped; under
 * the trust rule ({@link FileTrust}) that is only a process of the same user or of the group the
 * namespace deliberately shares with, never another user. The others' next access to a page past
 * the new end takes SIGBUS. Every accessor here turns the JVM's report of that
 * ({@link InternalError}) into {@link InvalidSegmentException} naming the file, and a futex call on
 * such a page ({@code EFAULT}) likewise. Limits, measured on JDK 17 and 25 (see
 * docs/RELIABILITY.md): an <em>interpreted</em> atomic (compare-and-set, get-and-add, get-and-set,
 * get-and-or) is not guarded by HotSpot and a fault there kills the JVM, so every atomic method
 * reads the word (guarded) first, which narrows that to a truncation landing between the read and
 * the atomic of a not-yet-compiled method (JDK 17 throws a guarded read's error only at the next
 * call into the VM, so every accessor makes one there: see {@code deliverLateFault});
 * and JDK 17 delivers the error from JIT-compiled code asynchronously, at the thread's next
 * safepoint check, so it may surface as a bare {@code InternalError} outside these methods.
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
    private volatile long inode = -1; // the mapped file's inode, for the slow-path truncation check

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
        try {
            int result = (int) INT.get(buffer, offset);
            deliverLateFault();
            return afterAccess(result);
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** Acquire read. @param offset byte offset @return the value */
    public int getIntAcquire(int offset) {
        checkOpen();
        try {
            int result = (int) INT.getAcquire(buffer, offset);
            deliverLateFault();
            return afterAccess(result);
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** Opaque read (no ordering, never hoisted). @param offset byte offset @return the value */
    public int getIntOpaque(int offset) {
        checkOpen();
        try {
            int result = (int) INT.getOpaque(buffer, offset);
            deliverLateFault();
            return afterAccess(result);
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** Plain write. @param offset byte offset @param value the value */
    public void setInt(int offset, int value) {
        checkOpen();
        try {
            INT.set(buffer, offset, value);
            deliverLateFault();
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** Release write. @param offset byte offset @param value the value */
    public void setIntRelease(int offset, int value) {
        checkOpen();
        try {
            INT.setRelease(buffer, offset, value);
            deliverLateFault();
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** Opaque write (no ordering, never elided or merged). @param offset byte offset @param value the value */
    public void setIntOpaque(int offset, int value) {
        checkOpen();
        try {
            INT.setOpaque(buffer, offset, value);
            deliverLateFault();
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** Volatile write. @param offset byte offset @param value the value */
    public void setIntVolatile(int offset, int value) {
        checkOpen();
        try {
            INT.setVolatile(buffer, offset, value);
            deliverLateFault();
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
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
        try {
            // Guarded read first: an interpreted CAS on a truncated page is a fatal SIGBUS, a read is not.
            int guard = (int) INT.getVolatile(buffer, offset);
            deliverLateFault();
            boolean result = (boolean) INT.compareAndSet(buffer, offset, expected, value);
            return afterAccess(result);
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
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
        try {
            // Guarded read first: an interpreted CAS on a truncated page is a fatal SIGBUS, a read is not.
            int guard = (int) INT.getVolatile(buffer, offset);
            deliverLateFault();
            int result = (int) INT.compareAndExchange(buffer, offset, expected, value);
            return afterAccess(result);
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** Atomic add. @param offset byte offset @param delta the addend @return the previous value */
    public int getAndAddInt(int offset, int delta) {
        checkOpen();
        try {
            // Guarded read first, as for compare-and-set: an interpreted atomic on a truncated page is fatal.
            int guard = (int) INT.getVolatile(buffer, offset);
            deliverLateFault();
            int result = (int) INT.getAndAdd(buffer, offset, delta);
            return afterAccess(result);
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** Atomic exchange. @param offset byte offset @param value the new value @return the previous value */
    public int getAndSetInt(int offset, int value) {
        checkOpen();
        try {
            // Guarded read first, as for compare-and-set: an interpreted atomic on a truncated page is fatal.
            int guard = (int) INT.getVolatile(buffer, offset);
            deliverLateFault();
            int result = (int) INT.getAndSet(buffer, offset, value);
            return afterAccess(result);
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** Atomic OR. @param offset byte offset @param bits bits to set @return the previous value */
    public int getAndBitwiseOrInt(int offset, int bits) {
        checkOpen();
        try {
            // Guarded read first, as for compare-and-set: an interpreted atomic on a truncated page is fatal.
            int guard = (int) INT.getVolatile(buffer, offset);
            deliverLateFault();
            int result = (int) INT.getAndBitwiseOr(buffer, offset, bits);
            return afterAccess(result);
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** Plain read. @param offset byte offset (8-aligned) @return the value */
    public long getLong(int offset) {
        checkOpen();
        try {
            long result = (long) LONG.get(buffer, offset);
            deliverLateFault();
            return afterAccess(result);
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** Acquire read. @param offset byte offset (8-aligned) @return the value */
    public long getLongAcquire(int offset) {
        checkOpen();
        try {
            long result = (long) LONG.getAcquire(buffer, offset);
            deliverLateFault();
            return afterAccess(result);
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** Opaque read. @param offset byte offset (8-aligned) @return the value */
    public long getLongOpaque(int offset) {
        checkOpen();
        try {
            long result = (long) LONG.getOpaque(buffer, offset);
            deliverLateFault();
            return afterAccess(result);
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** Plain write. @param offset byte offset (8-aligned) @param value the value */
    public void setLong(int offset, long value) {
        checkOpen();
        try {
            LONG.set(buffer, offset, value);
            deliverLateFault();
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** Release write. @param offset byte offset (8-aligned) @param value the value */
    public void setLongRelease(int offset, long value) {
        checkOpen();
        try {
            LONG.setRelease(buffer, offset, value);
            deliverLateFault();
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** Volatile write. @param offset byte offset (8-aligned) @param value the value */
    public void setLongVolatile(int offset, long value) {
        checkOpen();
        try {
            LONG.setVolatile(buffer, offset, value);
            deliverLateFault();
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
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
        try {
            // Guarded read first: an interpreted CAS on a truncated page is a fatal SIGBUS, a read is not.
            long guard = (long) LONG.getVolatile(buffer, offset);
            deliverLateFault();
            boolean result = (boolean) LONG.compareAndSet(buffer, offset, expected, value);
            return afterAccess(result);
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** Atomic add. @param offset byte offset (8-aligned) @param delta the addend @return the previous value */
    public long getAndAddLong(int offset, long delta) {
        checkOpen();
        try {
            // Guarded read first, as for compare-and-set: an interpreted atomic on a truncated page is fatal.
            long guard = (long) LONG.getVolatile(buffer, offset);
            deliverLateFault();
            long result = (long) LONG.getAndAdd(buffer, offset, delta);
            return afterAccess(result);
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** Atomic exchange. @param offset byte offset (8-aligned) @param value the new value @return the previous value */
    public long getAndSetLong(int offset, long value) {
        checkOpen();
        try {
            // Guarded read first, as for compare-and-set: an interpreted atomic on a truncated page is fatal.
            long guard = (long) LONG.getVolatile(buffer, offset);
            deliverLateFault();
            long result = (long) LONG.getAndSet(buffer, offset, value);
            return afterAccess(result);
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** JDK 17 raises a guarded access's fault only at the thread's next VM transition, not in the access. */
    private static final boolean FAULTS_DELIVERED_LATE = Runtime.version().feature() < 21;

    /*
     * On JDK 17 an interpreted guarded read that faulted returns as if nothing happened and the
     * fault becomes an error pending on the thread, thrown at its next call into the VM; the atomic
     * that follows would fault again outside any guard and kill the JVM. Allocating an array is
     * such a call in the interpreter (the newarray bytecode always enters the runtime), so the
     * pending error surfaces here, inside the accessor's catch. Compiled code drops the unused
     * allocation; JDK 21 and later throw from the read itself and skip this.
     */
    @SuppressWarnings("unused")
    private static void deliverLateFault() {
        if (FAULTS_DELIVERED_LATE) {
            int[] call = new int[0];
        }
    }

    /*
     * Values read after close() may come from the placeholder zero pages, not the file: a value is
     * returned only if the segment was still open after the access (close() sets the flag before it
     * swaps the pages), so no caller acts on a placeholder's zero. An operation that raced close()
     * may or may not have reached the file; it throws ClosedException either way.
     */
    private int afterAccess(int value) {
        checkOpen();
        return value;
    }

    private long afterAccess(long value) {
        checkOpen();
        return value;
    }

    private boolean afterAccess(boolean value) {
        checkOpen();
        return value;
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
        return await(offset, expected, timeoutNanos, timeoutNanos, WakeIntent.ALL);
    }

    /**
     * Sleeps on a word of this segment while it holds {@code expected}: the one place where every
     * blocking wait of procsync sleeps. A platform thread sleeps in the kernel for at most the
     * smaller of the two non-negative bounds, exactly as {@link #await(int, int, long)}. A virtual thread
     * parks instead (its carrier is freed) and the process's waiting engine wakes it; it sleeps up
     * to {@code leftNanos}, and the engine's sweep stands in for the slices (see
     * {@link dev.procsync.internal.engine.VirtualWait}). Either may return early; callers re-check.
     *
     * @param offset     byte offset of the word
     * @param expected   the value it must hold to sleep
     * @param leftNanos  what remains of the caller's wait; negative for none
     * @param sliceNanos how often the caller re-checks (liveness, close, interrupts)
     * @param intent     whom, among this process's virtual threads, a change of the word should wake
     * @return how the wait ended
     * @throws ClosedException if closed before the wait began
     */
    public WaitResult await(int offset, int expected, long leftNanos, long sliceNanos, WakeIntent intent) {
        long wordAddress = address(offset);
        AtomicInteger count = sleepers.computeIfAbsent(offset, k -> new AtomicInteger());
        count.incrementAndGet();
        try {
            checkOpen();
            checkIntact(offset);
            WaitResult result = VirtualWait.isCurrentThreadVirtual()
                    ? VirtualWait.await(wordAddress, () -> getIntAcquire(offset), expected, leftNanos, sliceNanos,
                            intent)
                    : Futex.await(wordAddress, expected, leftNanos < 0 ? sliceNanos
                            : sliceNanos < 0 ? leftNanos : Math.min(leftNanos, sliceNanos));
            checkIntact(offset);
            return result;
        } catch (IllegalStateException e) {
            throw futexFault(e, offset);
        } catch (InternalError e) {
            // JDK 17 delivers a fault taken in JIT-compiled code at the thread's next VM transition,
            // and the syscalls here are the usual one: name the file even though it faulted earlier.
            throw accessFault(e, offset);
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
        try {
            return Futex.wake(address(offset), count);
        } catch (IllegalStateException e) {
            throw futexFault(e, offset);
        } catch (InternalError e) {
            throw accessFault(e, offset);
        }
    }

    /** Remembers the mapped file's inode, so that {@link #checkIntact} can tell a shrink from a replacement. */
    void recordInode(long ino) {
        inode = ino;
    }

    /**
     * Slow-path check (one stat, only before and after a futex sleep): if the file this segment
     * maps is still at its path and now shorter than the mapping, a word access would fault, so
     * fail first with a message. A file unlinked or replaced under the name is not this mapping's.
     */
    private void checkIntact(int offset) {
        long ino = inode;
        if (ino < 0) {
            return;
        }
        java.util.Map<String, Object> attributes;
        try {
            attributes = java.nio.file.Files.readAttributes(path, "unix:ino,size");
        } catch (java.io.IOException | RuntimeException e) {
            return;
        }
        // The unix view names both; were either missing there would be nothing to compare.
        if (!(attributes.get("ino") instanceof Long fileIno) || !(attributes.get("size") instanceof Long fileSize)) {
            return;
        }
        if (fileIno == ino && fileSize < length) {
            throw new InvalidSegmentException(path + ": the file was truncated while mapped (mapped " + length
                    + " bytes, the file now has " + fileSize + "; seen before a wait on offset "
                    + offset + "); it is unusable, unlink and recreate it");
        }
    }

    /** A futex call on a page the file no longer has fails with EFAULT (errno 14): name the file. */
    private RuntimeException futexFault(IllegalStateException e, int offset) {
        if (closed || !String.valueOf(e.getMessage()).endsWith("errno 14")) {
            return e;
        }
        return new InvalidSegmentException(path + ": the file was truncated while mapped (" + describeSize()
                + "; futex on offset " + offset + " failed with EFAULT); it is unusable, unlink and recreate it", e);
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
            VirtualWait.wakeAll(address + offset);
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

    /**
     * Turns the JVM's report of a fault inside an access to this mapping into an exception naming
     * the file. HotSpot reports a SIGBUS/SIGSEGV taken inside an Unsafe access (which is what a
     * VarHandle or bulk {@link ByteBuffer} access to the mapping is) as {@link InternalError}
     * "a fault occurred in ... unsafe memory access operation"; for a segment that only happens when
     * another process shrank the file while it is mapped. Code that copies through
     * {@link #buffer()} should catch {@code InternalError} and throw what this returns.
     *
     * @param error  what the access threw
     * @param offset the byte offset accessed, or -1 if unknown
     * @return an {@link InvalidSegmentException} naming the file, its mapped and current lengths
     * @throws InternalError the argument itself if it is not an access fault
     */
    public InvalidSegmentException accessFault(InternalError error, int offset) {
        String message = String.valueOf(error.getMessage());
        if (!message.contains("unsafe memory access")) {
            throw error;
        }
        return new InvalidSegmentException(path + ": the file was truncated while mapped (" + describeSize()
                + "; access at offset " + offset + " faulted); it is unusable, unlink and recreate it", error);
    }

    private String describeSize() {
        try {
            return "mapped " + length + " bytes, the file now has " + java.nio.file.Files.size(path);
        } catch (java.io.IOException | RuntimeException e) {
            return "mapped " + length + " bytes, the file is gone";
        }
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
