package dev.procsync.layout;

/** SharedMemory (kind 10): param 0 = size in bytes; the block starts right after the header. */
public final class SharedMemoryLayout {
    /** Kind code. */
    public static final int KIND = 10;
    /** Layout version. */
    public static final int VERSION = 1;
    /** The block. */
    public static final int DATA_OFFSET = HeaderLayout.LENGTH;

    /** The table. */
    public static final LayoutDescriptor DESCRIPTOR = LayoutDescriptor.builder("SHARED_MEMORY", "SharedMemory", KIND)
            .version(VERSION)
            .variable("block", DATA_OFFSET, "size", "the block, zero when created")
            .build(LayoutDescriptor.VARIABLE);

    private SharedMemoryLayout() {
    }
}
