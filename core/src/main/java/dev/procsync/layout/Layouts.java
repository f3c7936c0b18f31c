package dev.procsync.layout;

import java.util.List;

/** Every layout descriptor, for tools, the documents and other-language clients. */
public final class Layouts {
    /** Every segment kind's table, then the relative blocks, in kind-code order. */
    public static final List<LayoutDescriptor> ALL = List.of(
            HeaderLayout.DESCRIPTOR,
            LockLayout.DESCRIPTOR,
            RLockLayout.DESCRIPTOR,
            SemaphoreLayout.DESCRIPTOR,
            SemaphoreLayout.UNDO,
            EventLayout.DESCRIPTOR,
            ConditionLayout.DESCRIPTOR,
            BarrierLayout.DESCRIPTOR,
            ValueLayout.SCALAR,
            ValueLayout.BYTES,
            ArrayLayout.DESCRIPTOR,
            SharedMemoryLayout.DESCRIPTOR,
            QueueLayout.DESCRIPTOR,
            QueueLayout.RECORD,
            PipeLayout.DESCRIPTOR,
            PipeLayout.RING_CONTROL);

    private Layouts() {
    }

    /**
     * Whether this build reads a file of a kind code written with a layout version: the kind's
     * {@link #versionOf(int) version}, or for the semaphores also the undo-on-death mode's
     * {@link SemaphoreLayout#UNDO_VERSION}.
     *
     * @param kindCode a header's kind code
     * @param version  a header's layout version
     * @return whether a file with these can be opened
     */
    public static boolean reads(int kindCode, int version) {
        if (version == versionOf(kindCode) && version != 0) {
            return true;
        }
        return (kindCode == SemaphoreLayout.KIND || kindCode == SemaphoreLayout.BOUNDED_KIND)
                && version == SemaphoreLayout.UNDO_VERSION;
    }

    /**
     * The layout version this build writes and reads for a kind code (the plain one where it reads
     * several: see {@link #reads(int, int)}).
     *
     * @param kindCode a header's kind code
     * @return the version, or 0 for an unknown code
     */
    public static int versionOf(int kindCode) {
        switch (kindCode) {
            case LockLayout.KIND:
                return LockLayout.VERSION;
            case RLockLayout.KIND:
                return RLockLayout.VERSION;
            case SemaphoreLayout.KIND:
            case SemaphoreLayout.BOUNDED_KIND:
                return SemaphoreLayout.VERSION; // the plain mode's; the undo mode's is read as well
            case EventLayout.KIND:
                return EventLayout.VERSION;
            case ConditionLayout.KIND:
                return ConditionLayout.VERSION;
            case BarrierLayout.KIND:
                return BarrierLayout.VERSION;
            case ValueLayout.KIND:
                return ValueLayout.VERSION;
            case ArrayLayout.KIND:
                return ArrayLayout.VERSION;
            case SharedMemoryLayout.KIND:
                return SharedMemoryLayout.VERSION;
            case QueueLayout.KIND:
            case QueueLayout.JOINABLE_KIND:
            case QueueLayout.SIMPLE_KIND:
                return QueueLayout.VERSION;
            case PipeLayout.KIND:
                return PipeLayout.VERSION;
            default:
                return 0;
        }
    }
}
