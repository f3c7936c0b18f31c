package dev.procsync;

import dev.procsync.codec.Codec;
import dev.procsync.channel.JoinableQueue;
import dev.procsync.channel.Queue;
import dev.procsync.channel.QueueCapacity;
import dev.procsync.channel.SimpleQueue;
import dev.procsync.segment.FileTrust;
import dev.procsync.segment.NamespaceDirectory;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SegmentFiles;
import dev.procsync.segment.SegmentSpec;
import dev.procsync.sync.Barrier;
import dev.procsync.sync.BoundedSemaphore;
import dev.procsync.sync.Condition;
import dev.procsync.sync.Event;
import dev.procsync.sync.Lock;
import dev.procsync.sync.RLock;
import dev.procsync.sync.Semaphore;
import dev.procsync.sync.SemaphoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A directory of named segments in which processes find each other's primitives by name, the way
 * a Python program hands a {@code multiprocessing.Lock} to a child, but without inheritance:
 * any process that opens the same namespace and name gets the same primitive.
 *
 * <p>Every factory method creates the named primitive if it is missing and opens it otherwise;
 * opening a name as another kind, or with other parameters, throws
 * {@link SegmentMismatchException}. Each call returns a new handle with its own mapping; handles
 * are closed individually or all at once by {@link #close()}. Nothing is ever unlinked implicitly:
 * {@link #unlink(String)} and {@link #destroy()} are explicit.
 *
 * <h2>Names</h2>
 * A name (of a namespace or of a primitive in it) is 1 to 128 characters of {@code [A-Za-z0-9._-]},
 * the first a letter or digit; anything else (including {@code null}, {@code /}, {@code ..}, NUL)
 * is an {@link IllegalArgumentException} naming the value. Each primitive is one file of that
 * name; every kind shares the namespace's names. Segments that procsync keeps for a primitive of
 * yours are named {@code <name>~<purpose>}: the RLock of a value or condition {@code x} that was
 * given no lock is {@code x~lock}. A user name cannot contain {@code ~}, so such a segment never
 * takes a name you might use ({@code x.lock} is yours). Only the file-level methods
 * ({@link #exists(String)}, {@link #unlink(String)}, {@link #open(String)}) and the inspector take
 * derived names.
 */
public final class Namespace implements SegmentDirectory, AutoCloseable {
    private final String name;
    private final NamespaceDirectory dir;
    private final NamespaceOptions options;
    private final Set<Segment> segments = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private Namespace(String name, NamespaceDirectory dir, NamespaceOptions options) {
        this.name = name;
        this.dir = dir;
        this.options = options;
    }

    static Namespace open(String name, NamespaceOptions options) {
        SegmentFiles.validateName("namespace", name);
        FileTrust trust = FileTrust.of(options.fileMode(), options.group());
        return new Namespace(name, NamespaceDirectory.open(options.root(), name, trust), options);
    }

    /** The namespace's name. */
    @Override
    public String name() {
        return name;
    }

    /** The directory holding its segment files. */
    @Override
    public Path directory() {
        return dir.path();
    }

    /** The options it was opened with. */
    @Override
    public NamespaceOptions options() {
        return options;
    }

    // ---- primitives ----

    /**
     * Opens or creates the named {@link Lock}.
     *
     * @param name the lock's name
     * @return a new handle
     */
    public Lock lock(String name) {
        return Lock.open(this, name);
    }

    // ---- sync: RLock, Condition, Barrier ----

    /**
     * Opens or creates the named {@link RLock}.
     *
     * @param name the lock's name
     * @return a new handle
     */
    public RLock rlock(String name) {
        return RLock.open(this, name);
    }

    /**
     * Opens or creates the named {@link Condition} over a new handle of its own {@link RLock}
     * (Python's default), the segment {@code name + "~lock"} (see "Names" above), which the
     * condition closes with itself.
     *
     * @param name the condition's name
     * @return a new handle
     */
    public Condition condition(String name) {
        RLock lock = RLock.openDefaultLockOf(this, name);
        try {
            return Condition.open(this, name, lock, true);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Opens or creates the named {@link Condition} over a {@link Lock}; every process must pair the
     * name with the same lock name and kind.
     *
     * @param name the condition's name
     * @param lock its lock (not closed with the condition)
     * @return a new handle
     */
    public Condition condition(String name, Lock lock) {
        return Condition.open(this, name, lock);
    }

    /**
     * Opens or creates the named {@link Condition} over an {@link RLock}; every process must pair the
     * name with the same lock name and kind.
     *
     * @param name the condition's name
     * @param lock its lock (not closed with the condition)
     * @return a new handle
     */
    public Condition condition(String name, RLock lock) {
        return Condition.open(this, name, lock, false);
    }

    /**
     * Opens or creates the named {@link Barrier} without action or default timeout.
     *
     * @param name    the barrier's name
     * @param parties how many parties trip it; must match an existing barrier
     * @return a new handle
     */
    public Barrier barrier(String name, int parties) {
        return Barrier.open(this, name, parties, null, null);
    }

    /**
     * Opens or creates the named {@link Barrier}.
     *
     * @param name           the barrier's name
     * @param parties        how many parties trip it; must match an existing barrier
     * @param action         run by the last arriver of a round through this handle, or {@code null}
     * @param defaultTimeout the timeout of {@link Barrier#await()} on this handle, or {@code null} for none
     * @return a new handle
     */
    public Barrier barrier(String name, int parties, @Nullable Runnable action, @Nullable Duration defaultTimeout) {
        return Barrier.open(this, name, parties, action, defaultTimeout);
    }

    // ---- sync-b: Semaphore, BoundedSemaphore, Event ----

    /**
     * Opens or creates the named {@link Semaphore}.
     *
     * @param name    the semaphore's name
     * @param permits initial permits, 0..2^31-1; an existing semaphore must have been created with the same
     * @return a new handle
     * @throws IllegalArgumentException if {@code permits} is negative
     * @throws SegmentMismatchException if the name holds another kind or another initial count
     */
    public Semaphore semaphore(String name, int permits) {
        return Semaphore.open(this, name, permits);
    }

    /**
     * Opens or creates the named {@link Semaphore} in the given mode, for example
     * {@link SemaphoreOptions#undoOnDeath()}, whose dead holders' permits come back.
     *
     * @param name    the semaphore's name
     * @param permits initial permits, 0..2^31-1; an existing semaphore must have been created with the same
     * @param options the mode; an existing semaphore must have been created with the same
     * @return a new handle
     * @throws IllegalArgumentException if {@code permits} is negative
     * @throws SegmentMismatchException if the name holds another kind, another initial count or another mode
     */
    public Semaphore semaphore(String name, int permits, SemaphoreOptions options) {
        return Semaphore.open(this, name, permits, options);
    }

    /**
     * Opens or creates the named {@link BoundedSemaphore}.
     *
     * @param name    the semaphore's name
     * @param permits initial and largest number of permits; an existing one must have the same
     * @return a new handle
     * @throws IllegalArgumentException if {@code permits} is negative
     * @throws SegmentMismatchException if the name holds another kind or another bound
     */
    public BoundedSemaphore boundedSemaphore(String name, int permits) {
        return BoundedSemaphore.open(this, name, permits);
    }

    /**
     * Opens or creates the named {@link BoundedSemaphore} in the given mode, for example
     * {@link SemaphoreOptions#undoOnDeath()}, whose dead holders' permits come back.
     *
     * @param name    the semaphore's name
     * @param permits initial and largest number of permits; an existing one must have the same
     * @param options the mode; an existing one must have the same
     * @return a new handle
     * @throws IllegalArgumentException if {@code permits} is negative
     * @throws SegmentMismatchException if the name holds another kind, another bound or another mode
     */
    public BoundedSemaphore boundedSemaphore(String name, int permits, SemaphoreOptions options) {
        return BoundedSemaphore.open(this, name, permits, options);
    }

    /**
     * Opens or creates the named {@link Event} (a new event starts lowered).
     *
     * @param name the event's name
     * @return a new handle
     * @throws SegmentMismatchException if the name holds another kind
     */
    public Event event(String name) {
        return Event.open(this, name);
    }

    // ---- channel: queues ----

    /**
     * Opens or creates the named {@link Queue}. Its capacity and codec id are fixed at creation;
     * opening it with others throws {@link SegmentMismatchException}.
     *
     * @param <T>      the message type
     * @param name     the queue's name
     * @param codec    how messages are encoded, e.g. {@link dev.procsync.codec.Codecs#utf8()}
     * @param capacity the bound in bytes and messages
     * @return a new handle
     */
    public <T> Queue<T> queue(String name, Codec<T> codec, QueueCapacity capacity) {
        return Queue.open(this, name, codec, capacity);
    }

    /**
     * Opens or creates the named {@link Queue} with {@link QueueCapacity#defaults()} (1 MiB).
     *
     * @param <T>   the message type
     * @param name  the queue's name
     * @param codec how messages are encoded
     * @return a new handle
     */
    public <T> Queue<T> queue(String name, Codec<T> codec) {
        return Queue.open(this, name, codec, QueueCapacity.defaults());
    }

    /**
     * Opens or creates the named {@link JoinableQueue}.
     *
     * @param <T>      the message type
     * @param name     the queue's name
     * @param codec    how messages are encoded
     * @param capacity the bound in bytes and messages
     * @return a new handle
     */
    public <T> JoinableQueue<T> joinableQueue(String name, Codec<T> codec, QueueCapacity capacity) {
        return JoinableQueue.open(this, name, codec, capacity);
    }

    /**
     * Opens or creates the named {@link SimpleQueue} with a ring of {@link SimpleQueue#DEFAULT_BYTES}.
     *
     * @param <T>   the message type
     * @param name  the queue's name
     * @param codec how messages are encoded
     * @return a new handle
     */
    public <T> SimpleQueue<T> simpleQueue(String name, Codec<T> codec) {
        return SimpleQueue.open(this, name, codec, SimpleQueue.DEFAULT_BYTES);
    }

    // ---- data-pipe: shared values, arrays, memory and pipes ----

    /**
     * Opens or creates the named {@link dev.procsync.data.SharedInt} (initially 0), with its own lock.
     *
     * @param name the value's name
     * @return a new handle
     */
    public dev.procsync.data.SharedInt sharedInt(String name) {
        return dev.procsync.data.SharedInt.open(this, name);
    }

    /**
     * Opens or creates the named {@link dev.procsync.data.SharedLong} (initially 0), with its own lock.
     *
     * @param name the value's name
     * @return a new handle
     */
    public dev.procsync.data.SharedLong sharedLong(String name) {
        return dev.procsync.data.SharedLong.open(this, name);
    }

    /**
     * Opens or creates the named {@link dev.procsync.data.SharedDouble} (initially 0.0), with its own lock.
     *
     * @param name the value's name
     * @return a new handle
     */
    public dev.procsync.data.SharedDouble sharedDouble(String name) {
        return dev.procsync.data.SharedDouble.open(this, name);
    }

    /**
     * Opens or creates the named {@link dev.procsync.data.SharedBoolean} (initially false), with its own lock.
     *
     * @param name the value's name
     * @return a new handle
     */
    public dev.procsync.data.SharedBoolean sharedBoolean(String name) {
        return dev.procsync.data.SharedBoolean.open(this, name);
    }

    /**
     * Opens or creates the named {@link dev.procsync.data.SharedBytes} (initially empty), with its own lock.
     *
     * @param name     the value's name
     * @param capacity most bytes it holds, fixed at creation
     * @return a new handle
     */
    public dev.procsync.data.SharedBytes sharedBytes(String name, int capacity) {
        return dev.procsync.data.SharedBytes.open(this, name, capacity);
    }

    /**
     * Opens or creates the named {@link dev.procsync.data.SharedIntArray} of ints.
     *
     * @param name   the array's name
     * @param length its length, fixed at creation
     * @return a new handle
     */
    public dev.procsync.data.SharedIntArray intArray(String name, int length) {
        return dev.procsync.data.SharedIntArray.open(this, name, length);
    }

    /**
     * Opens or creates the named {@link dev.procsync.data.SharedLongArray} of longs.
     *
     * @param name   the array's name
     * @param length its length, fixed at creation
     * @return a new handle
     */
    public dev.procsync.data.SharedLongArray longArray(String name, int length) {
        return dev.procsync.data.SharedLongArray.open(this, name, length);
    }

    /**
     * Opens or creates the named {@link dev.procsync.data.SharedDoubleArray} of doubles.
     *
     * @param name   the array's name
     * @param length its length, fixed at creation
     * @return a new handle
     */
    public dev.procsync.data.SharedDoubleArray doubleArray(String name, int length) {
        return dev.procsync.data.SharedDoubleArray.open(this, name, length);
    }

    /**
     * Opens or creates the named {@link dev.procsync.data.SharedByteArray} of bytes.
     *
     * @param name   the array's name
     * @param length its length, fixed at creation
     * @return a new handle
     */
    public dev.procsync.data.SharedByteArray byteArray(String name, int length) {
        return dev.procsync.data.SharedByteArray.open(this, name, length);
    }

    /**
     * Opens or creates the named {@link dev.procsync.data.SharedInt}, with its own lock, starting at
     * {@code initial} if this call creates it (only the creator applies it; see
     * {@link dev.procsync.data.SharedInt#open(SegmentDirectory, String, int)}).
     *
     * @param name    the value's name
     * @param initial the value it starts with, if created now
     * @return a new handle
     */
    public dev.procsync.data.SharedInt sharedInt(String name, int initial) {
        return dev.procsync.data.SharedInt.open(this, name, initial);
    }

    /**
     * Opens or creates the named {@link dev.procsync.data.SharedLong}, with its own lock, starting at
     * {@code initial} if this call creates it (only the creator applies it; see
     * {@link dev.procsync.data.SharedLong#open(SegmentDirectory, String, long)}).
     *
     * @param name    the value's name
     * @param initial the value it starts with, if created now
     * @return a new handle
     */
    public dev.procsync.data.SharedLong sharedLong(String name, long initial) {
        return dev.procsync.data.SharedLong.open(this, name, initial);
    }

    /**
     * Opens or creates the named {@link dev.procsync.data.SharedDouble}, with its own lock, starting at
     * {@code initial} if this call creates it (only the creator applies it; see
     * {@link dev.procsync.data.SharedDouble#open(SegmentDirectory, String, double)}).
     *
     * @param name    the value's name
     * @param initial the value it starts with, if created now
     * @return a new handle
     */
    public dev.procsync.data.SharedDouble sharedDouble(String name, double initial) {
        return dev.procsync.data.SharedDouble.open(this, name, initial);
    }

    /**
     * Opens or creates the named {@link dev.procsync.data.SharedBoolean}, with its own lock, starting at
     * {@code initial} if this call creates it (only the creator applies it; see
     * {@link dev.procsync.data.SharedBoolean#open(SegmentDirectory, String, boolean)}).
     *
     * @param name    the value's name
     * @param initial the value it starts with, if created now
     * @return a new handle
     */
    public dev.procsync.data.SharedBoolean sharedBoolean(String name, boolean initial) {
        return dev.procsync.data.SharedBoolean.open(this, name, initial);
    }

    /**
     * Opens or creates the named {@link dev.procsync.data.SharedIntArray} from values (its length is
     * theirs), with its own lock; only the creator applies them (see
     * {@link dev.procsync.data.SharedIntArray#open(SegmentDirectory, String, int[])}).
     *
     * @param name    the array's name
     * @param initial the elements it starts with, if created now
     * @return a new handle
     */
    public dev.procsync.data.SharedIntArray intArray(String name, int[] initial) {
        return dev.procsync.data.SharedIntArray.open(this, name, initial);
    }

    /**
     * Opens or creates the named {@link dev.procsync.data.SharedLongArray} from values (its length is
     * theirs), with its own lock; only the creator applies them (see
     * {@link dev.procsync.data.SharedLongArray#open(SegmentDirectory, String, long[])}).
     *
     * @param name    the array's name
     * @param initial the elements it starts with, if created now
     * @return a new handle
     */
    public dev.procsync.data.SharedLongArray longArray(String name, long[] initial) {
        return dev.procsync.data.SharedLongArray.open(this, name, initial);
    }

    /**
     * Opens or creates the named {@link dev.procsync.data.SharedDoubleArray} from values (its length is
     * theirs), with its own lock; only the creator applies them (see
     * {@link dev.procsync.data.SharedDoubleArray#open(SegmentDirectory, String, double[])}).
     *
     * @param name    the array's name
     * @param initial the elements it starts with, if created now
     * @return a new handle
     */
    public dev.procsync.data.SharedDoubleArray doubleArray(String name, double[] initial) {
        return dev.procsync.data.SharedDoubleArray.open(this, name, initial);
    }

    /**
     * Opens or creates the named {@link dev.procsync.data.SharedByteArray} from values (its length is
     * theirs), with its own lock; only the creator applies them (see
     * {@link dev.procsync.data.SharedByteArray#open(SegmentDirectory, String, byte[])}).
     *
     * @param name    the array's name
     * @param initial the elements it starts with, if created now
     * @return a new handle
     */
    public dev.procsync.data.SharedByteArray byteArray(String name, byte[] initial) {
        return dev.procsync.data.SharedByteArray.open(this, name, initial);
    }

    /**
     * Attaches to the named {@link dev.procsync.data.SharedMemory} block, creating it if missing
     * (see its {@code create} and {@code attach} for the exclusive forms).
     *
     * @param name the block's name
     * @param size its size in bytes; must equal an existing block's
     * @return a new handle
     */
    public dev.procsync.data.SharedMemory sharedMemory(String name, long size) {
        return dev.procsync.data.SharedMemory.createOrAttach(this, name, size);
    }

    /**
     * Opens both ends of the named byte {@link dev.procsync.channel.Pipe} in this process; use
     * {@link dev.procsync.channel.Pipe#end} to open one end per process.
     *
     * @param name   the pipe's name
     * @param duplex both directions, or B to A only
     * @return the two ends
     */
    public dev.procsync.channel.Pipe<byte[]> pipe(String name, boolean duplex) {
        return dev.procsync.channel.Pipe.open(this, name, duplex);
    }

    // ---- segments: the SegmentDirectory the primitives open through, and file-level tools ----

    /**
     * Opens the named segment, creating it if missing. The handle is closed with the namespace.
     *
     * @param segmentName the name
     * @param spec        kind, parameters and body length; checked against an existing file
     * @param init        writes the initial body of a new segment before it is published
     * @return the open segment
     */
    @Override
    public Segment createOrOpen(String segmentName, SegmentSpec spec, Consumer<Segment> init) {
        SegmentFiles.validateName("name", segmentName);
        checkOpen();
        return track(SegmentFiles.createOrOpen(dir, segmentName, spec, init));
    }

    /**
     * Opens the segment procsync keeps for {@code owner} (see "Names" above), creating it if
     * missing. The handle is closed with the namespace.
     *
     * @param owner   the user's name the segment belongs to
     * @param purpose what it is for, 1-16 lower-case letters (e.g. {@code "lock"})
     * @param spec    kind, parameters and body length; checked against an existing file
     * @param init    writes the initial body of a new segment before it is published
     * @return the open segment
     */
    @Override
    public Segment createOrOpenDerived(String owner, String purpose, SegmentSpec spec, Consumer<Segment> init) {
        String derived = SegmentFiles.derivedName(owner, purpose);
        checkOpen();
        return track(SegmentFiles.createOrOpen(dir, derived, spec, init));
    }

    /**
     * Creates the named segment; fails with {@link SegmentExistsException} if it exists.
     *
     * @param segmentName the name
     * @param spec        kind, parameters and body length
     * @param init        writes the initial body before it is published
     * @return the open segment
     */
    @Override
    public Segment create(String segmentName, SegmentSpec spec, Consumer<Segment> init) {
        SegmentFiles.validateName("name", segmentName);
        checkOpen();
        return track(SegmentFiles.create(dir, segmentName, spec, init));
    }

    /**
     * Opens an existing segment and checks it against a spec.
     *
     * @param segmentName the name
     * @param spec        the expected kind and parameters
     * @return the open segment
     * @throws SegmentNotFoundException if it does not exist
     */
    @Override
    public Segment open(String segmentName, SegmentSpec spec) {
        SegmentFiles.validateName("name", segmentName);
        checkOpen();
        return track(SegmentFiles.open(dir, segmentName, spec));
    }

    /**
     * Opens an existing segment of any kind.
     *
     * @param segmentName the name
     * @return the open segment
     * @throws SegmentNotFoundException if it does not exist
     */
    public Segment open(String segmentName) {
        checkOpen();
        return track(SegmentFiles.open(dir, segmentName));
    }

    private Segment track(Segment segment) {
        segments.removeIf(Segment::isClosed);
        segments.add(segment);
        if (closed) {
            segment.close();
            throw new ClosedException("namespace '" + name + "' is closed");
        }
        return segment;
    }

    /**
     * Whether a name exists in this namespace.
     *
     * @param segmentName the name
     * @return whether it exists (a link is not followed)
     */
    public boolean exists(String segmentName) {
        return dir.exists(segmentName);
    }

    /** The names in this namespace, sorted (temporary files of creators in progress excluded). */
    public List<String> names() {
        return dir.names();
    }

    /**
     * Removes a name. Processes that have it open keep using their mapping; a later open of the
     * name creates a new, unrelated primitive. A link is removed, never followed.
     *
     * @param segmentName the name
     * @return whether it existed
     */
    public boolean unlink(String segmentName) {
        return dir.unlink(SegmentFiles.validateSegmentName(segmentName));
    }

    /**
     * Removes a creator's temporary file ({@code .<name>.<pid>.<hex>.creating}), for tools that
     * clean up after creators that died; the caller checks that the creator is dead.
     *
     * @param temporaryName the file's name
     * @return whether it existed
     * @throws IllegalArgumentException if the name is not a temporary file's
     */
    public boolean unlinkTemporary(String temporaryName) {
        if (!NamespaceDirectory.CREATING.matcher(temporaryName).matches()) {
            throw new IllegalArgumentException("not a creator's temporary file name: '" + temporaryName + "'");
        }
        return dir.unlink(temporaryName);
    }

    /**
     * Closes every handle opened through this namespace and removes every file in its directory
     * (links are removed, not followed) and then the directory. Nothing outside the namespace
     * directory is touched.
     */
    public void destroy() {
        close();
        dir.destroy();
    }

    /**
     * Closes every handle opened through this namespace (their waiting threads fail with
     * {@link ClosedException}). Files stay. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        for (Segment segment : segments) {
            segment.close();
        }
        segments.clear();
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new ClosedException("namespace '" + name + "' is closed");
        }
    }

    @Override
    public String toString() {
        return "Namespace[" + name + " at " + dir + "]";
    }
}
