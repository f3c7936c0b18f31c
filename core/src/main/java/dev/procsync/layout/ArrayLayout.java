package dev.procsync.layout;

/**
 * SharedArray (kind 9): param 0 = element type code ({@link ValueLayout#TYPE_INT} ...), param 1 =
 * length. Element i is at {@code 128 + i * size}, naturally aligned.
 */
public final class ArrayLayout {
    /** Kind code. */
    public static final int KIND = 9;
    /** Layout version. */
    public static final int VERSION = 1;
    /** Element 0. */
    public static final int DATA_OFFSET = HeaderLayout.LENGTH;

    /** The table. */
    public static final LayoutDescriptor DESCRIPTOR = LayoutDescriptor.builder("ARRAY", "SharedArray", KIND)
            .version(VERSION)
            .variable("elements", DATA_OFFSET, "length × size", "element i at `128 + i × size`")
            .build(LayoutDescriptor.VARIABLE);

    private ArrayLayout() {
    }
}
