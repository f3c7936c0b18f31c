package dev.procsync.layout;

/**
 * SharedValue (kind 8): param 0 = element type code, param 1 = 1 for a scalar or the capacity in
 * bytes of a {@code byte} value (SharedBytes). Two layouts share the kind: {@link #SCALAR} and
 * {@link #BYTES}.
 *
 * <pre>
 *  scalar                                  bytes (type BYTE)
 *  offset  size  field                     offset  size      field
 *  128     8     value                     128     8         seq: version (bits 32-63) | writer pid
 *  136     4     watchers                  136     8         writer start time
 *  140     4     changeSeq (futex word)    144     4         length of the current value
 *                                          192     capacity  the value's bytes
 * </pre>
 */
public final class ValueLayout {
    /** Kind code. */
    public static final int KIND = 8;
    /** Layout version. */
    public static final int VERSION = 1;
    /** Element type code: 32-bit two's complement. */
    public static final int TYPE_INT = 1;
    /** Element type code: 64-bit two's complement. */
    public static final int TYPE_LONG = 2;
    /** Element type code: IEEE 754 binary64. */
    public static final int TYPE_DOUBLE = 3;
    /** Element type code: a 32-bit word, 0 false, non-zero true. */
    public static final int TYPE_BOOLEAN = 4;
    /** Element type code: octets. */
    public static final int TYPE_BYTE = 5;

    /** A scalar's value: int and boolean in the first 4 bytes, long and double in all 8. */
    public static final int VALUE_OFFSET = HeaderLayout.LENGTH;
    /** Threads registered for change wake-ups. */
    public static final int WATCHERS_OFFSET = VALUE_OFFSET + 8;
    /** The futex word watchers sleep on. */
    public static final int CHANGE_SEQ_OFFSET = WATCHERS_OFFSET + 4;
    /** Body bytes of a scalar. */
    public static final int SCALAR_BODY = CHANGE_SEQ_OFFSET + 4 - HeaderLayout.LENGTH;

    /** SharedBytes: the seqlock word. */
    public static final int SEQ_OFFSET = HeaderLayout.LENGTH;
    /** SharedBytes: the writer's start time. */
    public static final int WRITER_START_OFFSET = SEQ_OFFSET + 8;
    /** SharedBytes: the current length. */
    public static final int LENGTH_OFFSET = WRITER_START_OFFSET + 8;
    /** SharedBytes: the bytes, on the second cache line of the body. */
    public static final int DATA_OFFSET = HeaderLayout.LENGTH + 64;

    /** The scalar table. */
    public static final LayoutDescriptor SCALAR = LayoutDescriptor.builder("VALUE", "SharedValue (scalar)", KIND)
            .version(VERSION)
            .field("value", VALUE_OFFSET, 8, "int and boolean in bytes 128–131, long and double in all 8")
            .field("watchers", WATCHERS_OFFSET, 4, "threads registered for change wake-ups (atomic ±1)")
            .field("changeSeq", CHANGE_SEQ_OFFSET, 4, "futex word watchers sleep on")
            .constant("TYPE_INT", TYPE_INT, "param 0: int, 4 bytes")
            .constant("TYPE_LONG", TYPE_LONG, "param 0: long, 8 bytes")
            .constant("TYPE_DOUBLE", TYPE_DOUBLE, "param 0: double, 8 bytes (raw IEEE 754 bits)")
            .constant("TYPE_BOOLEAN", TYPE_BOOLEAN, "param 0: boolean, 4 bytes (0 false, non-zero true)")
            .constant("TYPE_BYTE", TYPE_BYTE, "param 0: byte, 1 byte (SharedBytes and byte arrays)")
            .build(HeaderLayout.LENGTH + SCALAR_BODY);

    /** The SharedBytes table. */
    public static final LayoutDescriptor BYTES = LayoutDescriptor.builder("VALUE", "SharedBytes", KIND)
            .version(VERSION)
            .field("seq", SEQ_OFFSET, 8, "bits 32–63 version, bits 0–31 writer pid (0 = no write in progress)")
            .field("writerStart", WRITER_START_OFFSET, 8,
                "writer's start time: release store right after the claiming CAS")
            .field("length", LENGTH_OFFSET, 4, "length of the current value, 0..capacity")
            .field("reserved", LENGTH_OFFSET + 4, DATA_OFFSET - LENGTH_OFFSET - 4, "zero")
            .variable("data", DATA_OFFSET, "capacity", "the value's bytes (only the first `length` are meaningful)")
            .build(LayoutDescriptor.VARIABLE);

    private ValueLayout() {
    }
}
