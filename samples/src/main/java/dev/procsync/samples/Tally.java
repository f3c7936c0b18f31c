package dev.procsync.samples;

import dev.procsync.layout.HeaderLayout;
import dev.procsync.Namespace;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;

/**
 * A shared atomic count that samples use to report what their processes did (tickets sold,
 * guests seen), so the parent can check the scenario's invariant. One little-endian long at
 * offset 128 of its segment, changed only by atomic add.
 */
public final class Tally {
    private static final int VALUE = HeaderLayout.LENGTH;

    private final Segment segment;

    private Tally(Segment segment) {
        this.segment = segment;
    }

    /**
     * Opens or creates the named tally (initially 0).
     *
     * @param ns   the namespace
     * @param name its name
     * @return the tally
     */
    public static Tally open(Namespace ns, String name) {
        return new Tally(ns.createOrOpen(name, SegmentSpec.of(SegmentKind.VALUE, 8), s -> { }));
    }

    /**
     * Adds to the count.
     *
     * @param delta how much
     * @return the new count
     */
    public long add(long delta) {
        return segment.getAndAddLong(VALUE, delta) + delta;
    }

    /** The count now. */
    public long get() {
        return segment.getLongAcquire(VALUE);
    }

    /**
     * Raises the count to at least {@code value}: a running maximum.
     *
     * @param value a candidate maximum
     */
    public void max(long value) {
        long current;
        // CAS loop: another process may raise it between our read and our write.
        while ((current = segment.getLongAcquire(VALUE)) < value && !segment.compareAndSetLong(VALUE, current, value)) {
            Thread.onSpinWait();
        }
    }
}
