package dev.procsync.segment;

import dev.procsync.InvalidSegmentException;
import java.nio.file.Path;

/**
 * The header every segment file starts with. All fields little-endian, explicit widths; the full
 * byte-level description another language needs is in docs/LAYOUT.md.
 *
 * <pre>
 *  offset  size  field
 *  0       8     magic           "PROCSYNC" as ASCII bytes (0x434E595343_4F5250 read as a LE long)
 *  8       4     layout version  {@link #LAYOUT_VERSION}; a newer one is refused
 *  12      4     kind            {@link SegmentKind#code()}
 *  16      8     total length    the file's length in bytes, header included
 *  24      8     param 0         kind-specific (capacity, permits, element type ...)
 *  32      8     param 1
 *  40      8     param 2
 *  48      8     param 3
 *  56      4     creator pid
 *  60      4     ready           0 while the creator initialises, {@link #READY} once published
 *  64      8     creator start time (clock ticks since boot, /proc/pid/stat field 22)
 *  72      8     created at      milliseconds since the epoch
 *  80      4     body offset     {@link #LENGTH}
 *  84      44    reserved, zero
 *  128           body (kind-specific layout, documented in the class that owns it)
 * </pre>
 */
public final class SegmentHeader {
    /** "PROCSYNC" in ASCII, read as a little-endian long. */
    public static final long MAGIC = 0x434E5953434F5250L;
    /** The layout version this build writes and reads. */
    public static final int LAYOUT_VERSION = 1;
    /** The value of the ready word once the creator has published the segment. */
    public static final int READY = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int KIND_OFFSET = 12;
    public static final int TOTAL_LENGTH_OFFSET = 16;
    public static final int PARAM_OFFSET = 24;
    public static final int PARAM_COUNT = 4;
    public static final int CREATOR_PID_OFFSET = 56;
    public static final int READY_OFFSET = 60;
    public static final int CREATOR_START_OFFSET = 64;
    public static final int CREATED_AT_OFFSET = 72;
    public static final int BODY_OFFSET_OFFSET = 80;
    /** Header length; bodies start here, on a 64-byte cache-line boundary. */
    public static final int LENGTH = 128;

    /** Every segment file's length is a whole number of these. */
    public static final int PAGE = 4096;
    /** What a file without the magic is called; nothing read from such a file is ever quoted. */
    static final String NOT_A_SEGMENT = "not a procsync segment (it does not start with the procsync magic)";

    private SegmentHeader() {
    }

    /** The offset of parameter {@code index} (0..3). */
    public static int paramOffset(int index) {
        if (index < 0 || index >= PARAM_COUNT) {
            throw new IndexOutOfBoundsException("param index " + index + " not in 0.." + (PARAM_COUNT - 1));
        }
        return PARAM_OFFSET + index * 8;
    }

    /**
     * Checks a mapped header against the file it came from.
     *
     * @param segment    the mapping
     * @param path       the file, for messages
     * @param fileLength the file's length when it was mapped
     * @return the stored kind
     */
    static SegmentKind validate(Segment segment, Path path, long fileLength) {
        long magic = segment.getLongAcquire(MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new InvalidSegmentException(path + ": " + NOT_A_SEGMENT);
        }
        int version = segment.getIntAcquire(VERSION_OFFSET);
        if (version != LAYOUT_VERSION) {
            throw new InvalidSegmentException(path + ": layout version " + version + " but this build reads "
                    + LAYOUT_VERSION + (version > LAYOUT_VERSION ? " (written by a newer procsync)" : ""));
        }
        long total = segment.getLongAcquire(TOTAL_LENGTH_OFFSET);
        if (total != fileLength) {
            throw new InvalidSegmentException(path + ": header says " + total + " bytes but the file has "
                    + fileLength + " (truncated or damaged)");
        }
        if (total % PAGE != 0) {
            throw new InvalidSegmentException(path + ": " + total + " bytes is not a whole number of " + PAGE
                    + "-byte pages, as every segment is");
        }
        int bodyOffset = segment.getIntAcquire(BODY_OFFSET_OFFSET);
        if (bodyOffset != LENGTH) {
            throw new InvalidSegmentException(path + ": body offset " + bodyOffset + ", expected " + LENGTH);
        }
        int code = segment.getIntAcquire(KIND_OFFSET);
        SegmentKind kind = SegmentKind.fromCode(code);
        if (kind == null) {
            throw new InvalidSegmentException(path + ": unknown segment kind code " + code);
        }
        return kind;
    }
}
