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
    private final int layoutVersion;

    private SegmentSpec(SegmentKind kind, long[] params, List<String> paramNames, long bodyLength, int layoutVersion) {
        this.kind = kind;
        this.params = params;
        this.paramNames = paramNames;
        this.bodyLength = bodyLength;
        this.layoutVersion = layoutVersion;
    }

    /**
     * A spec without parameters.
     *
     * @param kind       the kind
     * @param bodyLength body bytes after the header
     * @return the spec
     */
    public static SegmentSpec of(SegmentKind kind, long bodyLength) {
        return new SegmentSpec(kind, new long[0], List.of(), checkBody(bodyLength), kind.layoutVersion());
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
        return new SegmentSpec(Objects.requireNonNull(kind), values.clone(), List.copyOf(names), checkBody(bodyLength),
                kind.layoutVersion());
    }

    private static long checkBody(long bodyLength) {
        if (bodyLength < 0 || bodyLength > Segment.MAX_LENGTH - HeaderLayout.LENGTH) {
            throw new IllegalArgumentException("segment body must be 0.." + (Segment.MAX_LENGTH - HeaderLayout.LENGTH)
                    + " bytes: " + bodyLength);
        }
        return bodyLength;
    }

    /**
     * This spec with another layout version written into a new file's header: one the kind
     * {@linkplain SegmentKind#readsLayoutVersion(int) reads} (the undo-on-death semaphores).
     *
     * @param version the layout version
     * @return the new spec
     * @throws IllegalArgumentException if the kind has no such layout version
     */
    public SegmentSpec withLayoutVersion(int version) {
        if (!kind.readsLayoutVersion(version)) {
            throw new IllegalArgumentException(kind + " has no layout version " + version);
        }
        return new SegmentSpec(kind, params, paramNames, bodyLength, version);
    }

    /** The layout version a new file of this spec is written with (by default the kind's). */
    public int layoutVersion() {
        return layoutVersion;
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
