package dev.procsync.channel;

import static dev.procsync.layout.PipeLayout.CODEC_ID_LENGTH;
import static dev.procsync.layout.PipeLayout.CODEC_OFFSET;
import static dev.procsync.layout.PipeLayout.DATA_OFFSET;
import static dev.procsync.layout.PipeLayout.SLOT_A;
import static dev.procsync.layout.PipeLayout.SLOT_B;

import dev.procsync.layout.HeaderLayout;
import dev.procsync.SegmentMismatchException;
import dev.procsync.codec.Codec;
import dev.procsync.codec.Codecs;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A named two-ended message channel between processes: the analogue of
 * {@code multiprocessing.Pipe(duplex)}. Its ends are {@link Connection}s, {@link End#A A} and
 * {@link End#B B}. A duplex pipe carries messages both ways; a one-way pipe carries them from B
 * to A only (A is the reader, B the writer, in Python's {@code (reader, writer)} order).
 *
 * <p>A JVM cannot hand an open handle to a child, so the ends are opened by name:
 * {@link #open} opens both ends in this process (for threads), and {@link #end} opens one of
 * them, typically A in one process and B in another. The first opener creates the pipe; the
 * others must ask for the same direction, capacity and codec id, else
 * {@link SegmentMismatchException}. Each end can be opened once: after it is closed, or its
 * process died, the pipe is finished; unlink its name ({@link dev.procsync.Namespace#unlink(String)}) to reuse it.
 *
 * <p>Each direction is a byte ring of {@link #DEFAULT_CAPACITY} (or the given capacity) in shared
 * memory. Messages keep their boundaries; each is framed by a 64-bit length, and a message larger
 * than the ring is streamed through it in chunks, so the largest message is
 * {@link #MAX_MESSAGE} bytes (the largest Java array), whatever the capacity.
 *
 * <p>Layout (absolute offsets; kind PIPE, param 0 = capacity, param 1 = duplex 0/1):
 * <pre>
 *  128  32  codec id, ASCII, NUL-padded ({@link Codec#id()})
 *  192   4  end A owner: 0 never opened, pid while open, -1 closed
 *  200   8  end A owner start time (release store right after the claiming CAS; 0 until then)
 *  256   4  end B owner          264  8  end B owner start time
 *  320 192  ring 0 control (B to A), see PipeRing
 *  512 192  ring 1 control (A to B, duplex only)
 *  704      ring 0 data (capacity bytes), then ring 1 data (duplex only)
 * </pre>
 * End owner word: {@code 0 -> pid} by CAS when the end is opened; {@code pid -> -1} (release) when
 * it is closed, followed by a bump and FUTEX_WAKE of both rings' words. A peer whose word holds a
 * pid that is no longer alive with the stored start time is dead: same as closed.
 */
public final class Pipe<T> implements AutoCloseable {
    /** Default ring capacity per direction: 256 KiB. */
    public static final int DEFAULT_CAPACITY = 256 * 1024;
    /** Smallest ring capacity. */
    public static final int MIN_CAPACITY = 64;
    /** Largest ring capacity (two rings must fit one segment). */
    public static final int MAX_CAPACITY = 1 << 29;
    /** Largest message in bytes: the largest Java array. The frame length field is 64 bits wide. */
    public static final int MAX_MESSAGE = Integer.MAX_VALUE - 8;

    private static final List<String> PARAMS = List.of("capacity", "duplex");

    /** One end of a pipe. */
    public enum End {
        /** The first end; the reading end of a one-way pipe. */
        A,
        /** The second end; the writing end of a one-way pipe. */
        B;

        /** The other end. @return it */
        public End peer() {
            return this == A ? B : A;
        }
    }

    private final Connection<T> a;
    private final Connection<T> b;

    private Pipe(Connection<T> a, Connection<T> b) {
        this.a = a;
        this.b = b;
    }

    /**
     * Opens both ends of a byte pipe with the default capacity in this process.
     *
     * @param ns     the namespace
     * @param name   the pipe's name
     * @param duplex both directions, or B to A only
     * @return the two ends
     */
    public static Pipe<byte[]> open(SegmentDirectory ns, String name, boolean duplex) {
        return open(ns, name, duplex, DEFAULT_CAPACITY, Codecs.bytes());
    }

    /**
     * Opens both ends of a pipe in this process.
     *
     * @param ns       the namespace
     * @param name     the pipe's name
     * @param duplex   both directions, or B to A only
     * @param capacity ring bytes per direction, a power of two in {@link #MIN_CAPACITY}..{@link #MAX_CAPACITY}
     * @param codec    the codec of {@link Connection#send}/{@link Connection#recv}
     * @param <T>      the message type
     * @return the two ends
     */
    public static <T> Pipe<T> open(SegmentDirectory ns, String name, boolean duplex, int capacity, Codec<T> codec) {
        Connection<T> first = end(ns, name, End.A, duplex, capacity, codec);
        try {
            return new Pipe<>(first, end(ns, name, End.B, duplex, capacity, codec));
        } catch (RuntimeException e) {
            first.close();
            throw e;
        }
    }

    /**
     * Opens one end of a byte pipe with the default capacity, creating the pipe if missing.
     *
     * @param ns     the namespace
     * @param name   the pipe's name
     * @param end    which end
     * @param duplex both directions, or B to A only
     * @return the connection
     * @throws PipeEndUnavailableException if the end is open elsewhere, was closed, or its process died
     * @throws SegmentMismatchException if the pipe exists with another direction, capacity or codec
     */
    public static Connection<byte[]> end(SegmentDirectory ns, String name, End end, boolean duplex) {
        return end(ns, name, end, duplex, DEFAULT_CAPACITY, Codecs.bytes());
    }

    /**
     * Opens one end of a pipe, creating the pipe if missing.
     *
     * @param ns       the namespace
     * @param name     the pipe's name
     * @param end      which end
     * @param duplex   both directions, or B to A only
     * @param capacity ring bytes per direction, a power of two in {@link #MIN_CAPACITY}..{@link #MAX_CAPACITY}
     * @param codec    the codec of {@link Connection#send}/{@link Connection#recv}
     * @param <T>      the message type
     * @return the connection
     * @throws IllegalArgumentException if the capacity is not a power of two in range
     * @throws PipeEndUnavailableException if the end is open elsewhere, was closed, or its process died
     * @throws SegmentMismatchException if the pipe exists with another direction, capacity or codec
     */
    public static <T> Connection<T> end(SegmentDirectory ns, String name, End end, boolean duplex, int capacity,
            Codec<T> codec) {
        Objects.requireNonNull(end, "end");
        byte[] codecId = codecId(name, codec);
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("pipe '" + name + "': capacity must be a power of two in "
                    + MIN_CAPACITY + ".." + MAX_CAPACITY + ", got " + capacity);
        }
        long body = DATA_OFFSET - HeaderLayout.LENGTH + (long) capacity * (duplex ? 2 : 1);
        SegmentSpec spec = SegmentSpec.of(SegmentKind.PIPE, body, PARAMS, capacity, duplex ? 1 : 0);
        Segment segment = ns.createOrOpen(name, spec, s -> s.buffer().put(CODEC_OFFSET, codecId));
        try {
            byte[] stored = new byte[CODEC_ID_LENGTH];
            segment.buffer().get(CODEC_OFFSET, stored);
            if (!java.util.Arrays.equals(stored, codecId) && !codec.accepts(text(stored))) {
                throw new SegmentMismatchException("pipe '" + name + "' in namespace '" + ns.name()
                        + "' carries codec '" + text(stored) + "', not '" + codec.id() + "'");
            }
            return new Connection<>(name, end, segment, duplex, capacity, codec, ns.options().spinPolicy());
        } catch (RuntimeException e) {
            segment.close();
            throw e;
        }
    }

    private static byte[] codecId(String name, Codec<?> codec) {
        String id = codec.id();
        byte[] bytes = id.getBytes(StandardCharsets.US_ASCII);
        boolean ascii = StandardCharsets.US_ASCII.newEncoder().canEncode(id);
        if (bytes.length == 0 || bytes.length > CODEC_ID_LENGTH || !ascii) {
            throw new IllegalArgumentException("pipe '" + name + "': codec id must be 1.." + CODEC_ID_LENGTH
                    + " ASCII characters: '" + id + "'");
        }
        return java.util.Arrays.copyOf(bytes, CODEC_ID_LENGTH);
    }

    private static String text(byte[] padded) {
        int n = 0;
        while (n < padded.length && padded[n] != 0) {
            n++;
        }
        return new String(padded, 0, n, StandardCharsets.US_ASCII);
    }

    static int slot(End end) {
        return end == End.A ? SLOT_A : SLOT_B;
    }

    /** End A: the reader of a one-way pipe. @return it */
    public Connection<T> a() {
        return a;
    }

    /** End B: the writer of a one-way pipe. @return it */
    public Connection<T> b() {
        return b;
    }

    /** Closes both ends. */
    @Override
    public void close() {
        a.close();
        b.close();
    }
}
