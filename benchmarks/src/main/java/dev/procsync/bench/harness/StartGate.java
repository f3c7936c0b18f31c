package dev.procsync.bench.harness;

import dev.procsync.layout.HeaderLayout;
import dev.procsync.Namespace;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import java.util.concurrent.locks.LockSupport;

/**
 * A raw shared word pair that lines peers up before a measurement and collects their clocks
 * ({@code System.nanoTime} is CLOCK_MONOTONIC, comparable across processes on one host).
 *
 * <pre>
 *  offset  size  field
 *  128     4     ready   peers that have opened everything (getAndAdd)
 *  132     4     go      0 until the coordinator releases them (futex word)
 *  136     4     done    peers finished (getAndAdd)
 *  192     16×n  per peer: start nanos, end nanos
 * </pre>
 */
public final class StartGate implements AutoCloseable {
    private static final int READY = HeaderLayout.LENGTH;
    private static final int GO = READY + 4;
    private static final int DONE = READY + 8;
    private static final int TIMES = READY + 64;
    private static final int MAX_PEERS = 64;

    private final Segment segment;

    private StartGate(Segment segment) {
        this.segment = segment;
    }

    public static StartGate open(Namespace ns) {
        return new StartGate(ns.createOrOpen("gate", SegmentSpec.of(SegmentKind.VALUE, 64 + 16 * MAX_PEERS),
                s -> { }));
    }

    /** Peer: reports ready and sleeps until the coordinator opens the gate; returns the start time. */
    public long arriveAndAwait(int peer) {
        segment.getAndAddInt(READY, 1);
        while (segment.getIntAcquire(GO) == 0) {
            segment.await(GO, 0, 10_000_000L);
        }
        long start = System.nanoTime();
        segment.setLongRelease(TIMES + peer * 16, start);
        return start;
    }

    /** Peer: records its end time as now. */
    public void finish(int peer) {
        finish(peer, System.nanoTime());
    }

    /** Peer: records the given end time (a consumer's last data message, not its sentinel). */
    public void finish(int peer, long endNanos) {
        segment.setLongRelease(TIMES + peer * 16 + 8, endNanos);
        segment.getAndAddInt(DONE, 1);
    }

    /** Coordinator: waits until {@code peers} are ready, then opens the gate. */
    public void open(int peers) {
        // Peers take a JVM start-up to arrive: sleep between looks rather than spin on a core they need.
        while (segment.getIntAcquire(READY) < peers) {
            LockSupport.parkNanos(200_000L);
        }
        segment.setIntRelease(GO, 1);
        segment.wake(GO, Integer.MAX_VALUE);
    }

    /** Peer, after a warm-up it should not be timed for: records its start time as now. */
    public void restart(int peer) {
        segment.setLongRelease(TIMES + peer * 16, System.nanoTime());
    }

    /** Coordinator, after the peers exited: earliest start to latest end, in nanoseconds. */
    public long span(int peers) {
        return span(peers, 0);
    }

    /**
     * Coordinator, after the peers exited: from the earliest start among peers
     * {@code firstTimed..peers-1} (the others' starts do not open the window) to the latest end
     * among all, in nanoseconds.
     */
    public long span(int peers, int firstTimed) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int i = 0; i < peers; i++) {
            if (i >= firstTimed) {
                first = Math.min(first, segment.getLongAcquire(TIMES + i * 16));
            }
            last = Math.max(last, segment.getLongAcquire(TIMES + i * 16 + 8));
        }
        return last - first;
    }

    @Override
    public void close() {
        segment.close();
    }
}
