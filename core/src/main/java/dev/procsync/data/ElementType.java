package dev.procsync.data;

import java.util.Locale;

/**
 * The element type of a {@link SharedValue} or {@link SharedArray}, stored as a code in parameter 0
 * of the segment header so that opening a name with another type is detected. Codes are part of
 * the on-disk layout (docs/layout/data-pipe.md): never renumber.
 */
public enum ElementType {
    /** 32-bit signed integer, little-endian. */
    INT(1, 4),
    /** 64-bit signed integer, little-endian. */
    LONG(2, 8),
    /** IEEE 754 binary64, stored as its raw bits in a little-endian 64-bit word. */
    DOUBLE(3, 8),
    /** A 32-bit word holding 0 (false) or 1 (true). */
    BOOLEAN(4, 4),
    /** Unsigned octets (Java {@code byte}). */
    BYTE(5, 1);

    private final int code;
    private final int size;

    ElementType(int code, int size) {
        this.code = code;
        this.size = size;
    }

    /** The code stored in the header. */
    public int code() {
        return code;
    }

    /** Bytes per element in shared memory. */
    public int size() {
        return size;
    }

    /**
     * Describes a stored code for messages.
     *
     * @param code a header's type code
     * @return the type's name, or {@code "unknown type <code>"}
     */
    static String describe(long code) {
        for (ElementType type : values()) {
            if (type.code == code) {
                return type.toString();
            }
        }
        return "unknown type " + code;
    }

    /** The lower-case Java-like name: {@code int}, {@code long}, {@code double}, {@code boolean}, {@code byte}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
