package dev.procsync.data;

import static dev.procsync.layout.SharedMemoryLayout.DATA_OFFSET;

import dev.procsync.layout.HeaderLayout;
import dev.procsync.ClosedException;
import dev.procsync.SegmentExistsException;
import dev.procsync.SegmentMismatchException;
import dev.procsync.SegmentNotFoundException;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A raw named block of shared memory: the analogue of {@code multiprocessing.shared_memory.SharedMemory}.
 * No structure, no locking: {@link #buffer()} is a view of {@link #size()} bytes that every process
 * attached to the name sees.
 *
 * <h2>Lifecycle</h2>
 * <ul>
 *   <li>{@link #create} makes a new zero-filled block and fails with {@link SegmentExistsException}
 *       if the name exists; {@link #attach} opens an existing one, taking its size from the block,
 *       and fails with {@link SegmentNotFoundException} if it is missing; {@link #createOrAttach}
 *       does whichever applies, race-free across processes.</li>
 *   <li>{@link #close()} unmaps the block from this handle only. The block and its contents stay
 *       for everyone else, and for later attaches, until {@link #unlink()}.</li>
 *   <li>{@link #unlink()} removes the name, exactly once system-wide: a second unlink (from any
 *       handle or process) throws {@link SegmentNotFoundException}, like Python's FileNotFoundError.
 *       Processes that still map the block keep using it; a later create of the name is a new,
 *       unrelated block.</li>
 *   <li>Attaching never unlinks, not even when it fails (the name holds another kind of primitive,
 *       a damaged file, ...): unlike CPython (gh-153279), a failed attach leaves the file as it was.</li>
 * </ul>
 *
 * <p>Buffers obtained from {@link #buffer()} before {@link #close()} stay safe to touch afterwards:
 * they read zeros and their writes go nowhere, instead of crashing the JVM.
 */
public final class SharedMemory implements AutoCloseable {
    /*
     * Layout: kind SHARED_MEMORY; param 0 = size in bytes as requested; the block is the `size`
     * bytes from offset 128 (the file is rounded up to whole pages; the rest is never exposed).
     */
    /** Largest block. */
    public static final long MAX_SIZE = Segment.MAX_LENGTH - HeaderLayout.LENGTH;
    private static final List<String> PARAMS = List.of("size");

    private final SegmentDirectory ns;
    private final String name;
    private final Segment segment;
    private final int size;
    private final @Nullable Object fileKey;

    private SharedMemory(SegmentDirectory ns, String name, Segment segment) {
        this.ns = ns;
        this.name = name;
        this.segment = segment;
        this.size = (int) segment.getLongAcquire(HeaderLayout.paramOffset(0));
        this.fileKey = fileKey(segment.path());
    }

    /**
     * Creates a new block; fails if the name exists.
     *
     * @param ns   the namespace
     * @param name the block's name
     * @param size its size in bytes, 1..{@link #MAX_SIZE}
     * @return a handle on the new, zero-filled block
     * @throws IllegalArgumentException if the size is not positive or too large
     * @throws SegmentExistsException   if the name exists
     */
    public static SharedMemory create(SegmentDirectory ns, String name, long size) {
        return new SharedMemory(ns, name, ns.create(name, spec(name, size), s -> { }));
    }

    /**
     * Attaches to an existing block; its size comes from the block.
     *
     * @param ns   the namespace
     * @param name the block's name
     * @return a handle
     * @throws SegmentNotFoundException if the name does not exist
     * @throws SegmentMismatchException if the name holds another kind of primitive (nothing is unlinked)
     */
    public static SharedMemory attach(SegmentDirectory ns, String name) {
        return new SharedMemory(ns, name, ns.open(name, SegmentSpec.of(SegmentKind.SHARED_MEMORY, 0)));
    }

    /**
     * Attaches to the named block, creating it if missing.
     *
     * @param ns   the namespace
     * @param name the block's name
     * @param size its size; must equal an existing block's
     * @return a handle
     * @throws IllegalArgumentException if the size is not positive or too large
     * @throws SegmentMismatchException if the block exists with another size, or the name holds another kind
     */
    public static SharedMemory createOrAttach(SegmentDirectory ns, String name, long size) {
        return new SharedMemory(ns, name, ns.createOrOpen(name, spec(name, size), s -> { }));
    }

    private static SegmentSpec spec(String name, long size) {
        if (size <= 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("shared memory '" + name + "': size must be 1.." + MAX_SIZE
                    + " bytes, got " + size);
        }
        return SegmentSpec.of(SegmentKind.SHARED_MEMORY, size, PARAMS, size);
    }

    private static @Nullable Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** The block's name in its namespace. */
    public String name() {
        return name;
    }

    /** The block's size in bytes, as created (exact, not rounded to pages). */
    public int size() {
        return size;
    }

    /**
     * A fresh view of the whole block: position 0, limit and capacity {@link #size()}, little-endian
     * order. Each call returns an independent buffer (its position and limit are its own).
     *
     * @return the view
     * @throws ClosedException if this handle is closed
     */
    public ByteBuffer buffer() {
        return segment.buffer().slice(DATA_OFFSET, size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return segment.isClosed();
    }

    /**
     * Removes the name. Exactly one unlink succeeds for a block, from any handle in any process; it
     * is allowed after {@link #close()}. Processes that map the block keep their mapping.
     *
     * @throws SegmentNotFoundException if the block was already unlinked (the name is gone, or now
     *                                  names another block created since)
     */
    public void unlink() {
        Path path = segment.path();
        Object now = fileKey(path);
        if (now == null || fileKey != null && !fileKey.equals(now)) {
            throw new SegmentNotFoundException("shared memory '" + name + "' in namespace '" + ns.name()
                    + "' was already unlinked" + (now == null ? "" : " (the name now holds another block)"));
        }
        try {
            Files.delete(path);
        } catch (NoSuchFileException e) {
            throw new SegmentNotFoundException("shared memory '" + name + "' in namespace '" + ns.name()
                    + "' was already unlinked");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlink " + path, e);
        }
    }

    /** The segment (for the inspector). */
    public Segment segment() {
        return segment;
    }

    /** Unmaps the block from this handle; others are unaffected and the name stays. Idempotent. */
    @Override
    public void close() {
        segment.close();
    }

    @Override
    public String toString() {
        return "SharedMemory[" + name + ", " + size + " bytes" + (isClosed() ? ", closed" : "") + "]";
    }
}
