package dev.procsync.data;

import static dev.procsync.layout.ValueLayout.CHANGE_SEQ_OFFSET;
import static dev.procsync.layout.ValueLayout.WATCHERS_OFFSET;

import dev.procsync.ClosedException;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SequenceWatch;
import dev.procsync.sync.Mutex;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A single typed value shared by every process that opens the same name: the analogue of
 * {@code multiprocessing.Value}. The subclasses are the types: {@link SharedInt}, {@link SharedLong},
 * {@link SharedDouble}, {@link SharedBoolean} and the fixed-capacity {@link SharedBytes}.
 *
 * <p>The element type (and for bytes the capacity) is stored in the segment header; opening a name
 * with another type throws {@link dev.procsync.SegmentMismatchException} naming both. A new value
 * starts at zero ({@code 0}, {@code 0.0}, {@code false}, empty).
 *
 * <h2>Atomics and the lock</h2>
 * Unlike Python, where every {@code .value} access takes a lock and {@code v.value += 1} still
 * loses updates, the numeric types offer real atomic read-modify-write operations
 * ({@code incrementAndGet}, {@code compareAndSet}, {@code updateAndGet}, ...) on the shared word:
 * they never lose an update and need no lock. {@link #getLock()} is for compound operations that
 * span several values; taking it does not make plain {@code get}/{@code set} on this value
 * exclusive, it only excludes other holders of the same lock:
 *
 * <pre>{@code
 * counter.incrementAndGet();                       // atomic: no update is ever lost
 * try (Mutex.Hold hold = counter.getLock().hold()) { // Python's "with v.get_lock():"
 *     counter.set(counter.get() + 1);              // safe only because every writer takes the lock
 *     total.set(total.get() + counter.get());      // ... and now spanning two values
 * }
 * }</pre>
 *
 * <h2>Memory consistency effects</h2>
 * {@code get} and {@code set} have volatile semantics (as {@link java.util.concurrent.atomic.AtomicLong}):
 * actions in any process before a {@code set} or successful read-modify-write happen-before actions
 * after a {@code get} that reads the value written.
 *
 * <h2>Closing</h2>
 * {@link #close()} unmaps this handle (and closes its own lock if one was opened); later use throws
 * {@link ClosedException}. The value stays in its file until it is unlinked from the namespace.
 */
public abstract sealed class SharedValue implements AutoCloseable
        permits SharedInt, SharedLong, SharedDouble, SharedBoolean, SharedBytes {
    /*
     * Layout of scalar values (absolute offsets; params in SegmentHeader):
     *
     *  param 0  element type code (ElementType)
     *  param 1  1 (SharedBytes: capacity in bytes)
     *  offset  size  field
     *  128     8     value: int and boolean in the low 4 bytes (LE), long and double bits in all 8
     *  136     4     watchers   processes' threads registered for change wake-ups (SequenceWatch: +1 / -1)
     *  140     4     changeSeq  futex word watchers sleep on; table below
     *  144           end (file rounded to one page)
     *
     * changeSeq (an eventcount, so a change is never missed and an unwatched write makes no syscall):
     *  any value   writer, after its volatile store or successful RMW of the value: volatile read of
     *              watchers; if not 0: changeSeq += 1 (atomic) and FUTEX_WAKE all
     *              watcher: watchers += 1 (atomic); loop { s = acquire(changeSeq); compare the value
     *              with the last one seen; if equal FUTEX_WAIT(changeSeq, s, bounded) }; watchers -= 1
     * The writer's store and the watcher's increment are both volatile, and so are the reads that
     * follow them (Dekker): either the writer sees the watcher counted, or the watcher sees the value.
     *
     * SharedBytes has its own seqlock layout, drawn in its class.
     */

    private final String name;
    private final ElementType type;
    final Segment segment;
    final ByteBuffer view;
    private final LockRef lock;

    SharedValue(SegmentDirectory ns, String name, ElementType type, long count, long bodyLength, @Nullable Mutex lock) {
        this(ns, name, type, count, bodyLength, lock, s -> { });
    }

    /** With the initial body a creator writes (an opener of an existing value ignores it). */
    SharedValue(SegmentDirectory ns, String name, ElementType type, long count, long bodyLength, @Nullable Mutex lock,
            Consumer<Segment> initialBody) {
        this.name = name;
        this.type = type;
        this.segment = DataSegments.open(ns, name, SegmentKind.VALUE, type, count, bodyLength, "shared value",
                initialBody);
        this.view = segment.buffer();
        this.lock = new LockRef(ns, name, lock);
    }

    /** The value's name in its namespace. */
    public String name() {
        return name;
    }

    /** The element type stored in the header. */
    public ElementType type() {
        return type;
    }

    /**
     * The lock associated with this value, for compound operations: the one given to the factory,
     * a {@code Lock} or an {@code RLock}, or else this value's own {@link dev.procsync.sync.RLock}
     * named {@code <name>~lock} in the same namespace (Python's default: reentrant, owned by the
     * acquiring thread; opened on first call, closed with this handle).
     *
     * @return the lock
     * @throws ClosedException if this handle is closed
     */
    public Mutex getLock() {
        segment.checkOpen();
        return lock.get();
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

    final void checkOpen() {
        segment.checkOpen();
    }

    /** After a write of a scalar value: wakes its watchers, if any are registered. */
    final void changed() {
        if ((int) DataSegments.INT.getVolatile(view, WATCHERS_OFFSET) != 0) {
            DataSegments.INT.getAndAdd(view, CHANGE_SEQ_OFFSET, 1);
            segment.wake(CHANGE_SEQ_OFFSET, Integer.MAX_VALUE);
        }
    }

    /** {@link #changed()} if {@code written}; returns it. */
    final boolean changedIf(boolean written) {
        if (written) {
            changed();
        }
        return written;
    }

    /** Registers a watcher of a scalar value's changes. */
    final SequenceWatch watch() {
        checkOpen();
        return SequenceWatch.register(segment, WATCHERS_OFFSET, CHANGE_SEQ_OFFSET);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + (isClosed() ? ", closed" : "") + "]";
    }
}
