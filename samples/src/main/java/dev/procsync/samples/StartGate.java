package dev.procsync.samples;

import dev.procsync.layout.HeaderLayout;
import dev.procsync.Namespace;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import java.util.concurrent.TimeoutException;

/**
 * A one-shot starting gate for a race: children arrive and wait, the parent waits until all have
 * arrived and then opens the gate for everyone at once. Without it, child JVMs that start half a
 * second apart would rarely overlap, and a sample meant to show a race would show none.
 *
 * <p>Built directly on two futex words of a segment, as a small example of the layer under the
 * primitives:
 * <pre>
 *  offset  size  field
 *  128     4     arrived   how many children have arrived; the parent sleeps on it
 *  132     4     open      0 closed, 1 open; arrivals sleep on it
 * </pre>
 */
public final class StartGate implements AutoCloseable {
    private static final int ARRIVED = HeaderLayout.LENGTH;
    private static final int OPEN = ARRIVED + 4;
    private static final long SLICE = 50_000_000L;

    private final Segment segment;

    private StartGate(Segment segment) {
        this.segment = segment;
    }

    /**
     * Opens or creates the named gate.
     *
     * @param ns   the namespace
     * @param name the gate's name
     * @return the gate
     */
    public static StartGate open(Namespace ns, String name) {
        return new StartGate(ns.createOrOpen(name, SegmentSpec.of(SegmentKind.VALUE, 8), s -> { }));
    }

    /**
     * In a child: announces arrival and waits until the gate opens.
     *
     * @throws InterruptedException if interrupted
     * @throws TimeoutException     if the gate stays closed for {@link Sample#PATIENCE}
     */
    public void arriveAndAwaitOpen() throws InterruptedException, TimeoutException {
        segment.getAndAddInt(ARRIVED, 1);
        segment.wake(ARRIVED, Integer.MAX_VALUE);
        long deadline = System.nanoTime() + Sample.PATIENCE.toNanos();
        while (segment.getIntAcquire(OPEN) == 0) {
            sleepOn(OPEN, 0, deadline);
        }
    }

    /**
     * In the parent: waits until {@code count} children have arrived.
     *
     * @param count how many
     * @throws InterruptedException if interrupted
     * @throws TimeoutException     if they have not all arrived within {@link Sample#PATIENCE}
     */
    public void awaitArrivals(int count) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + Sample.PATIENCE.toNanos();
        int arrived;
        while ((arrived = segment.getIntAcquire(ARRIVED)) < count) {
            sleepOn(ARRIVED, arrived, deadline);
        }
    }

    /** In the parent: opens the gate, waking every waiting child. */
    public void open() {
        segment.setIntRelease(OPEN, 1);
        segment.wake(OPEN, Integer.MAX_VALUE);
    }

    private void sleepOn(int offset, int expected, long deadline) throws InterruptedException, TimeoutException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new TimeoutException("start gate " + segment.path() + " not passed within " + Sample.PATIENCE);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        segment.await(offset, expected, Math.min(left, SLICE));
    }

    /** Closes this handle. */
    @Override
    public void close() {
        segment.close();
    }
}
