package dev.procsync.data;

import static dev.procsync.layout.ValueLayout.VALUE_OFFSET;
import static dev.procsync.layout.ValueLayout.DATA_OFFSET;
import static dev.procsync.layout.ValueLayout.LENGTH_OFFSET;
import static dev.procsync.layout.ValueLayout.SEQ_OFFSET;
import static dev.procsync.layout.ValueLayout.WRITER_START_OFFSET;

import dev.procsync.codec.Codecs;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.sync.Mutex;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A byte string of at most {@link #capacity()} bytes shared between processes (and, through
 * UTF-8, a string): the analogue of {@code multiprocessing.Value(c_char * n)} and Python's
 * {@code Array('c')} {@code .value}, with explicit byte lengths (no NUL stripping).
 *
 * <p>Every {@link #get()} returns a whole value some {@link #set(byte[])} wrote, never a torn mix:
 * the value is guarded by a sequence word (a seqlock). Writers exclude each other on that word;
 * readers never block writers and retry when a write overlapped their copy.
 *
 * <h2>When a writer dies</h2>
 * A writer killed in the middle of {@code set} leaves the sequence word marked with its pid.
 * Readers and writers that find it marked for more than a few milliseconds check the pid; once it
 * is dead they finish the sequence so nobody waits forever. The value is then whatever the dead
 * writer had copied so far (length clamped to the capacity): a partial write is visible, as it
 * would be in memory the dead process shared.
 *
 * <p>See {@link SharedValue} for the header check, the lock and memory consistency effects: a
 * {@code get} that returns the bytes a {@code set} wrote happens-after that {@code set}.
 */
public final class SharedBytes extends SharedValue {
    /*
     * Layout (absolute offsets):
     *
     *  param 0  ElementType.BYTE code; param 1  capacity in bytes
     *  offset  size      field
     *  128     8         seq: bits 32-63 version, bits 0-31 writer pid (0 = no write in progress)
     *  136     8         writer start time (stored right after the claiming CAS)
     *  144     4         length of the current value, 0..capacity
     *  192     capacity  bytes
     *
     * Seq word:
     *  value            meaning                     transitions
     *  v<<32            stable, version v           writer: CAS v<<32 -> v<<32|pid, write, release-store (v+1)<<32
     *  v<<32|pid        pid is writing              anyone: if pid is dead, CAS -> (v+1)<<32
     * Reader: s1 = acquire(seq); if pid bits set, back off; copy length and bytes; acquireFence;
     * s2 = seq; the copy is good iff s1 == s2 (the fence keeps the copy before the re-read).
     */
    /** Largest capacity. */
    public static final int MAX_CAPACITY = (int) (Segment.MAX_LENGTH - DATA_OFFSET);

    private static final ProcessId ME = ProcessId.current();
    private static final long STALL_CHECK_NANOS = 5_000_000L;

    private final int capacity;
    private final Object writeMonitor = new Object();

    private SharedBytes(SegmentDirectory ns, String name, int capacity, @Nullable Mutex lock) {
        super(ns, name, ElementType.BYTE, checkCapacity(name, capacity), DATA_OFFSET - VALUE_OFFSET + capacity, lock);
        this.capacity = capacity;
    }

    private static int checkCapacity(String name, int capacity) {
        if (capacity <= 0 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("shared bytes '" + name + "': capacity must be 1.." + MAX_CAPACITY
                    + ", got " + capacity);
        }
        return capacity;
    }

    /**
     * Opens or creates the named value (initially empty) with its own lock {@code <name>~lock}.
     *
     * @param ns       the namespace
     * @param name     the value's name
     * @param capacity most bytes it holds; must match an existing value's
     * @return a new handle
     * @throws IllegalArgumentException               if the capacity is not positive
     * @throws dev.procsync.SegmentMismatchException if the name holds another type or capacity
     */
    public static SharedBytes open(SegmentDirectory ns, String name, int capacity) {
        return new SharedBytes(ns, name, capacity, null);
    }

    /**
     * Opens or creates the named value, associated with an existing lock.
     *
     * @param ns       the namespace
     * @param name     the value's name
     * @param capacity most bytes it holds
     * @param lock     the lock {@link #getLock()} returns (not closed with this handle)
     * @return a new handle
     */
    public static SharedBytes open(SegmentDirectory ns, String name, int capacity, Mutex lock) {
        return new SharedBytes(ns, name, capacity, Objects.requireNonNull(lock, "lock"));
    }

    /** Most bytes the value holds. */
    public int capacity() {
        return capacity;
    }

    /** A consistent copy of the current bytes. @return the value */
    public byte[] get() {
        long deadlineCheck = 0;
        while (true) {
            checkOpen();
            long s1 = (long) DataSegments.LONG.getAcquire(view, SEQ_OFFSET);
            if (writerPid(s1) != 0) {
                deadlineCheck = backOff(s1, deadlineCheck);
                continue;
            }
            int length = Math.max(0, Math.min(capacity, (int) DataSegments.INT.getOpaque(view, LENGTH_OFFSET)));
            byte[] out = new byte[length];
            view.get(DATA_OFFSET, out, 0, length);
            // Keep the copy before the re-read of seq: a changed seq means a write overlapped it.
            VarHandle.acquireFence();
            if ((long) DataSegments.LONG.getOpaque(view, SEQ_OFFSET) == s1) {
                return out;
            }
        }
    }

    /** The current value decoded as UTF-8. @return the string @throws IllegalArgumentException if not UTF-8 */
    public String getString() {
        return Codecs.utf8().decode(ByteBuffer.wrap(get()));
    }

    /** The length in bytes of the current value (a snapshot). @return the length */
    public int length() {
        checkOpen();
        return Math.max(0, Math.min(capacity, (int) DataSegments.INT.getAcquire(view, LENGTH_OFFSET)));
    }

    /**
     * Replaces the value.
     *
     * @param value the new bytes, at most {@link #capacity()}
     * @throws IllegalArgumentException if longer than the capacity
     */
    public void set(byte[] value) {
        set(value, 0, value.length);
    }

    /**
     * Replaces the value with a range of an array.
     *
     * @param src    the source
     * @param offset first byte
     * @param length how many bytes, at most {@link #capacity()}
     * @throws IllegalArgumentException  if longer than the capacity
     * @throws IndexOutOfBoundsException if the range is outside {@code src}
     */
    public void set(byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        if (length > capacity) {
            throw new IllegalArgumentException("shared bytes '" + name() + "': " + length
                    + " bytes do not fit its capacity of " + capacity);
        }
        // The monitor keeps close() from unmapping between our claim and our release store, which would
        // leave the shared word claimed by a live pid (ours) and stall every other process.
        synchronized (writeMonitor) {
            write(src, offset, length);
        }
    }

    private void write(byte[] src, int offset, int length) {
        long deadlineCheck = 0;
        long s;
        while (true) {
            checkOpen();
            s = (long) DataSegments.LONG.getAcquire(view, SEQ_OFFSET);
            // Claim the word with our pid: excludes other writers and tells readers a write is in progress.
            if (writerPid(s) == 0 && DataSegments.LONG.compareAndSet(view, SEQ_OFFSET, s, s | ME.pid())) {
                break;
            }
            deadlineCheck = backOff(s, deadlineCheck);
        }
        DataSegments.LONG.setRelease(view, WRITER_START_OFFSET, ME.startTime());
        DataSegments.INT.setOpaque(view, LENGTH_OFFSET, length);
        view.put(DATA_OFFSET, src, offset, length);
        // Release: the bytes and length are visible to whoever acquires the new version.
        DataSegments.LONG.setRelease(view, SEQ_OFFSET, nextVersion(s));
        checkOpen();
    }

    /**
     * Replaces the value with a string's UTF-8 bytes.
     *
     * @param value the string
     * @throws IllegalArgumentException if its UTF-8 form is longer than the capacity
     */
    public void setString(String value) {
        set(Codecs.utf8().encode(value));
    }

    private static int writerPid(long seq) {
        return (int) seq;
    }

    private static long nextVersion(long seq) {
        return ((seq >>> 32) + 1) << 32;
    }

    /**
     * Waits a little for a writer to finish; after {@link #STALL_CHECK_NANOS} with the word
     * unchanged, checks whether the writer died and, if so, finishes its sequence.
     *
     * @return the new stall-check time (0 if the word is stable)
     */
    private long backOff(long seq, long checkAt) {
        if (writerPid(seq) == 0) {
            Thread.onSpinWait();
            return 0;
        }
        long now = System.nanoTime();
        if (checkAt == 0) {
            return now + STALL_CHECK_NANOS;
        }
        if (now - checkAt < 0) {
            Thread.yield();
            return checkAt;
        }
        if (isWriterDead(seq)) {
            // Finish the dead writer's sequence; losing this CAS means someone else moved on.
            DataSegments.LONG.compareAndSet(view, SEQ_OFFSET, seq, nextVersion(seq));
            return 0;
        }
        LockSupport.parkNanos(100_000L);
        return now + STALL_CHECK_NANOS;
    }

    /**
     * Dead: no such process; or a process with another start time (pid reuse) on two checks a stall
     * period apart with the word unchanged (the second check covers a live writer that claimed the
     * word but was descheduled before storing its start time).
     */
    private boolean isWriterDead(long seq) {
        int pid = writerPid(seq);
        if (pid == ME.pid()) {
            return false;
        }
        long actual = ProcessId.startTimeOf(pid);
        if (actual < 0) {
            return (long) DataSegments.LONG.getAcquire(view, SEQ_OFFSET) == seq;
        }
        if (actual == (long) DataSegments.LONG.getAcquire(view, WRITER_START_OFFSET)) {
            return false;
        }
        LockSupport.parkNanos(STALL_CHECK_NANOS);
        checkOpen();
        return (long) DataSegments.LONG.getAcquire(view, SEQ_OFFSET) == seq
                && actual != (long) DataSegments.LONG.getAcquire(view, WRITER_START_OFFSET);
    }

    /** Unmaps this handle once no {@code set} of this handle is in progress; see {@link SharedValue#close()}. */
    @Override
    public void close() {
        synchronized (writeMonitor) {
            super.close();
        }
    }

    @Override
    public String toString() {
        return isClosed() ? super.toString() : "SharedBytes[" + name() + ", " + length() + "/" + capacity + " bytes]";
    }
}
