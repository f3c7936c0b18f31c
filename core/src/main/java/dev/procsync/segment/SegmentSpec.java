package dev.procsync.segment;

import dev.procsync.layout.HeaderLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a primitive asks of its segment: its kind, up to four 64-bit parameters that must match
 * on every open (with names for error messages), and the body length it needs.
 */
public final class SegmentSpec {
    private final SegmentKind kind;
    private final long[] params;
    private final List<String> paramNames;
    private final long bodyLength;

    private SegmentSpec(SegmentKind kind, long[] params, List<String> paramNames, long bodyLength) {
        this.kind = kind;
        this.params = params;
        this.paramNames = paramNames;
        this.bodyLength = bodyLength;
    }

    /**
     * A spec without parameters.
     *
     * @param kind       the kind
     * @param bodyLength body bytes after the header
     * @return the spec
     */
    public static SegmentSpec of(SegmentKind kind, long bodyLength) {
        return new SegmentSpec(kind, new long[0], List.of(), checkBody(bodyLength));
    }

    /**
     * A spec with named parameters, compared on every open.
     *
     * @param kind       the kind
     * @param bodyLength body bytes after the header
     * @param names      one name per parameter, for messages
     * @param values     the parameters, as many as names, at most four
     * @return the spec
     */
    public static SegmentSpec of(SegmentKind kind, long bodyLength, List<String> names, long... values) {
        if (names.size() != values.length || values.length > HeaderLayout.PARAM_COUNT) {
            throw new IllegalArgumentException("need as many names as values, at most "
                    + HeaderLayout.PARAM_COUNT + ": " + names + " " + Arrays.toString(values));
        }
        return new SegmentSpec(Objects.requireNonNull(kind), values.clone(), List.copyOf(names), checkBody(bodyLength));
    }

    private static long checkBody(long bodyLength) {
        if (bodyLength < 0 || bodyLength > Segment.MAX_LENGTH - HeaderLayout.LENGTH) {
            throw new IllegalArgumentException("segment body must be 0.." + (Segment.MAX_LENGTH - HeaderLayout.LENGTH)
                    + " bytes: " + bodyLength);
        }
        return bodyLength;
    }

    /** The kind. */
    public SegmentKind kind() {
        return kind;
    }

    /** How many parameters are compared. */
    public int paramCount() {
        return params.length;
    }

    /**
     * One parameter.
     *
     * @param index 0..{@link #paramCount()}-1
     * @return its value
     */
    public long param(int index) {
        return params[index];
    }

    /**
     * One parameter's name.
     *
     * @param index 0..{@link #paramCount()}-1
     * @return its name
     */
    public String paramName(int index) {
        return paramNames.get(index);
    }

    /** Body bytes after the header. */
    public long bodyLength() {
        return bodyLength;
    }

    /** Total file length: header plus body, rounded up to whole 4 KiB pages. */
    public long totalLength() {
        long raw = HeaderLayout.LENGTH + bodyLength;
        return (raw + 4095) & ~4095L;
    }
}
