package dev.procsync.data;

import dev.procsync.layout.HeaderLayout;
import dev.procsync.InvalidSegmentException;
import dev.procsync.SegmentMismatchException;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * Opening typed data segments and the VarHandles that access them.
 *
 * <p>Parameter 0 of the header holds the {@link ElementType} code, parameter 1 the element count
 * (1 for scalar values, the capacity in bytes for {@link SharedBytes}). They are checked here
 * rather than by {@link SegmentSpec} parameters so that the exception can name both types.
 * A mismatch closes this process's mapping and never unlinks anything.
 */
final class DataSegments {
    /** Int view of a segment's little-endian buffer. */
    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** Long view of a segment's little-endian buffer. */
    static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static final int TYPE_PARAM = HeaderLayout.paramOffset(0);
    static final int COUNT_PARAM = HeaderLayout.paramOffset(1);

    private DataSegments() {
    }

    /**
     * Creates or opens a typed data segment and checks its type and count.
     *
     * @param ns         the namespace
     * @param name       the primitive's name
     * @param kind       VALUE or ARRAY
     * @param type       the element type
     * @param count      elements (or capacity in bytes)
     * @param bodyLength body bytes needed
     * @param what       "shared value" or "shared array", for messages
     * @return the open segment
     */
    static Segment open(SegmentDirectory ns, String name, SegmentKind kind, ElementType type, long count,
            long bodyLength, String what) {
        return open(ns, name, kind, type, count, bodyLength, what, s -> { });
    }

    /**
     * As {@link #open(SegmentDirectory, String, SegmentKind, ElementType, long, long, String)}, with the
     * initial body a creator writes before it publishes the segment. Only the creator runs it:
     * an opener of an existing segment sees its current contents, whatever initial value it passed
     * (Python's {@code Value('q', 5)} does the same in the process that creates it).
     */
    static Segment open(SegmentDirectory ns, String name, SegmentKind kind, ElementType type, long count,
            long bodyLength, String what, Consumer<Segment> initialBody) {
        Segment segment = ns.createOrOpen(name, SegmentSpec.of(kind, bodyLength), s -> {
            s.setLong(TYPE_PARAM, type.code());
            s.setLong(COUNT_PARAM, count);
            initialBody.accept(s); // before the ready word: openers see it with the header
        });
        long storedType = segment.getLongAcquire(TYPE_PARAM);
        long storedCount = segment.getLongAcquire(COUNT_PARAM);
        if (storedType != type.code() || storedCount != count) {
            segment.close();
            throw new SegmentMismatchException(what + " '" + name + "' in namespace '" + ns.name() + "' holds "
                    + describe(kind, ElementType.describe(storedType), storedCount) + ", not "
                    + describe(kind, type.toString(), count));
        }
        if (segment.length() < HeaderLayout.LENGTH + bodyLength) {
            segment.close();
            throw new InvalidSegmentException(what + " '" + name + "': file of " + segment.length()
                    + " bytes is too short for " + bodyLength + " body bytes");
        }
        return segment;
    }

    private static String describe(SegmentKind kind, String type, long count) {
        if (kind == SegmentKind.ARRAY) {
            return type + "[" + count + "]";
        }
        return "byte".equals(type) ? "bytes(capacity " + count + ")" : type;
    }
}
