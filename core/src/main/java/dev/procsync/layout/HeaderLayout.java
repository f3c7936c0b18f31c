package dev.procsync.layout;

/**
 * The 128-byte header every segment file starts with. All fields little-endian, explicit widths.
 *
 * <pre>
 *  offset  size  field
 *  0       8     magic           "PROCSYNC" as ASCII bytes ({@link #MAGIC} read as a LE long)
 *  8       4     layout version  the kind's layout version (each kind's {@code VERSION}); a newer one is refused
 *  12      4     kind            the kind's code (each kind's {@code KIND})
 *  16      8     total length    the file's length in bytes, header included
 *  24      8     param 0         kind-specific (capacity, permits, element type ...)
 *  32      8     param 1
 *  40      8     param 2
 *  48      8     param 3
 *  56      4     creator pid
 *  60      4     ready           0 while the creator initialises, {@link #READY} once published (release store)
 *  64      8     creator start time (clock ticks since boot, /proc/pid/stat field 22)
 *  72      8     created at      milliseconds since the epoch
 *  80      4     body offset     {@link #LENGTH}
 *  84      44    reserved, zero
 *  128           body (kind-specific layout, in the kind's descriptor)
 * </pre>
 */
public final class HeaderLayout {
    /** "PROCSYNC" in ASCII, read as a little-endian long. */
    public static final long MAGIC = 0x434E5953434F5250L;
    /** The value of the ready word once the creator has published the segment. */
    public static final int READY = 1;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the layout version. */
    public static final int VERSION_OFFSET = MAGIC_OFFSET + 8;
    /** Offset of the kind code. */
    public static final int KIND_OFFSET = VERSION_OFFSET + 4;
    /** Offset of the total length. */
    public static final int TOTAL_LENGTH_OFFSET = KIND_OFFSET + 4;
    /** Offset of parameter 0; parameter i is at {@code PARAM_OFFSET + 8 * i}. */
    public static final int PARAM_OFFSET = TOTAL_LENGTH_OFFSET + 8;
    /** How many parameters the header holds. */
    public static final int PARAM_COUNT = 4;
    /** Offset of the creator's pid. */
    public static final int CREATOR_PID_OFFSET = PARAM_OFFSET + 8 * PARAM_COUNT;
    /** Offset of the ready word. */
    public static final int READY_OFFSET = CREATOR_PID_OFFSET + 4;
    /** Offset of the creator's start time. */
    public static final int CREATOR_START_OFFSET = READY_OFFSET + 4;
    /** Offset of the creation time. */
    public static final int CREATED_AT_OFFSET = CREATOR_START_OFFSET + 8;
    /** Offset of the body offset. */
    public static final int BODY_OFFSET_OFFSET = CREATED_AT_OFFSET + 8;
    /** Offset of the reserved bytes. */
    public static final int RESERVED_OFFSET = BODY_OFFSET_OFFSET + 4;
    /** Header length; bodies start here, on a 64-byte cache-line boundary. */
    public static final int LENGTH = 128;

    /** The header as a table. */
    public static final LayoutDescriptor DESCRIPTOR = LayoutDescriptor.relative("HEADER", "Header")
            .field("magic", MAGIC_OFFSET, 8, "ASCII `PROCSYNC` (`0x434E5953434F5250` as a LE u64)")
            .field("version", VERSION_OFFSET, 4, "the kind's layout version; a reader refuses one it does not know")
            .field("kind", KIND_OFFSET, 4, "kind code")
            .field("totalLength", TOTAL_LENGTH_OFFSET, 8, "equals the file length")
            .slot("param", PARAM_OFFSET, 8, 8, PARAM_COUNT, "params 0–3, kind-specific; compared on every open")
            .field("creatorPid", CREATOR_PID_OFFSET, 4, "creator's pid")
            .field("ready", READY_OFFSET, 4, "0 initialising, 1 published (release store)")
            .field("creatorStart", CREATOR_START_OFFSET, 8,
                    "creator's start time: `/proc/<pid>/stat` field 22, clock ticks since boot")
            .field("createdAt", CREATED_AT_OFFSET, 8, "ms since the epoch")
            .field("bodyOffset", BODY_OFFSET_OFFSET, 4, "128")
            .field("reserved", RESERVED_OFFSET, LENGTH - RESERVED_OFFSET, "zero")
            .constant("MAGIC", MAGIC, "`PROCSYNC` as a little-endian u64")
            .constant("READY", READY, "the ready word once published")
            .build(LENGTH);

    private HeaderLayout() {
    }

    /**
     * The offset of parameter {@code index} (0..3).
     *
     * @param index the parameter's index
     * @return its offset
     */
    public static int paramOffset(int index) {
        if (index < 0 || index >= PARAM_COUNT) {
            throw new IndexOutOfBoundsException("param index " + index + " not in 0.." + (PARAM_COUNT - 1));
        }
        return PARAM_OFFSET + index * 8;
    }
}
