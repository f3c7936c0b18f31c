package dev.procsync.channel;

import dev.procsync.ClosedException;
import dev.procsync.futex.Futex;
import dev.procsync.futex.WaitVector;
import dev.procsync.futex.WakeIntent;
import dev.procsync.internal.engine.VirtualWait;
import dev.procsync.segment.SequenceWatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Waiting on many pipe ends at once: the analogue of {@code multiprocessing.connection.wait}.
 *
 * <p>Python's {@code wait} selects on file descriptors; here each end's incoming ring has a futex
 * word, and the waiting thread registers on every one of them (the same registration a blocking
 * receive makes, so every send by a peer from then on wakes it) and sleeps in one
 * {@code futex_waitv} call on all of them, up to 128 ends. More ends, or a kernel without
 * {@code futex_waitv} (before Linux 5.16), fall back to short bounded sleeps (1 ms) on the
 * first word between checks: correct, but with up to a millisecond of extra latency.
 *
 * <p>An end is <em>ready</em> when a receive on it would return or throw at once, as
 * {@link Connection#poll()} says: a message has started to arrive, or the peer end is closed or
 * its process died (the receive then reports end of stream once the buffered messages are read).
 * A peer that dies without sending is noticed within one 25 ms slice.
 *
 * <h2>Memory consistency effects</h2>
 * As for a receive: actions of a peer before it sends a message happen-before actions after a
 * {@code wait} that returns its end because of that message.
 */
public final class Connections {
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
    private static final long FALLBACK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private Connections() {
    }

    /**
     * Waits until at least one of the ends is ready, as long as it takes.
     *
     * @param ends readable pipe ends (each end of a duplex pipe, or the first end of a one-way pipe)
     * @param <C>  the connection type
     * @return the ready ends, in the order given, never empty
     * @throws InterruptedException     if interrupted while waiting (noticed within one 25 ms slice)
     * @throws IllegalArgumentException if {@code ends} is empty
     * @throws WrongDirectionException   if an end is write-only
     * @throws ClosedException          if an end is closed
     */
    public static <C extends Connection<?>> List<C> wait(List<C> ends) throws InterruptedException {
        return waitUntil(ends, Deadline.NONE, true);
    }

    /**
     * Waits at most {@code timeout} until at least one of the ends is ready.
     *
     * @param ends    readable pipe ends
     * @param timeout the longest wait; zero or negative only checks
     * @param <C>     the connection type
     * @return the ready ends, in the order given; empty on timeout
     * @throws InterruptedException     if interrupted while waiting (noticed within one 25 ms slice)
     * @throws IllegalArgumentException if {@code ends} is empty
     * @throws WrongDirectionException   if an end is write-only
     * @throws ClosedException          if an end is closed
     */
    public static <C extends Connection<?>> List<C> wait(List<C> ends, Duration timeout)
            throws InterruptedException {
        return waitUntil(ends, Deadline.of(timeout, "connection wait"), true);
    }

    /**
     * The wait, with {@code futex_waitv} only if {@code vectorIfPossible} (tests run the fallback
     * on kernels that have it).
     */
    static <C extends Connection<?>> List<C> waitUntil(List<C> ends, long deadline, boolean vectorIfPossible)
            throws InterruptedException {
        Objects.requireNonNull(ends, "ends");
        if (ends.isEmpty()) {
            throw new IllegalArgumentException("no connections to wait for");
        }
        for (C end : ends) {
            Objects.requireNonNull(end, "a connection in the list is null");
        }
        List<C> ready = ready(ends, true);
        if (!ready.isEmpty() || deadline == Deadline.NO_WAIT) {
            return ready;
        }
        List<SequenceWatch> watches = new ArrayList<>(ends.size());
        try {
            for (C end : ends) {
                watches.add(end.armReceive());
            }
            boolean vectored = vectorIfPossible && Futex.waitvSupported() && ends.size() <= Futex.waitvMaxWords();
            WaitVector vector = vectored ? new WaitVector(ends.size()) : null;
            long livenessAt = System.nanoTime() + SLICE_NANOS;
            while (true) {
                // Sequences first, then the check (the pipe's eventcount): a send after the read
                // bumps its word, so the sleep below returns at once.
                int first = 0;
                if (vector != null) {
                    vector.clear();
                }
                for (int i = 0; i < watches.size(); i++) {
                    SequenceWatch w = watches.get(i);
                    int seq = w.sequence();
                    if (i == 0) {
                        first = seq;
                    }
                    if (vector != null) {
                        vector.add(w.address(), seq);
                    }
                }
                boolean checkLiveness = System.nanoTime() - livenessAt >= 0;
                if (checkLiveness) {
                    livenessAt = System.nanoTime() + SLICE_NANOS;
                }
                ready = ready(ends, checkLiveness);
                if (!ready.isEmpty()) {
                    return ready;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted waiting for " + ends.size() + " connections");
                }
                long left = Deadline.remaining(deadline);
                if (left <= 0) {
                    return ready;
                }
                if (VirtualWait.isCurrentThreadVirtual()) {
                    // One word through the waiting engine (futex_waitv would pin the carrier): the
                    // others are polled, as on a kernel without futex_waitv.
                    SequenceWatch w = watches.get(0);
                    long bound = Math.min(left, watches.size() == 1 ? SLICE_NANOS : FALLBACK_NANOS);
                    VirtualWait.await(w.address(), w::sequence, first, bound, bound, WakeIntent.ALL);
                } else if (vector != null) {
                    Futex.awaitAny(vector, Math.min(left, SLICE_NANOS));
                } else {
                    Futex.await(watches.get(0).address(), first, Math.min(left, FALLBACK_NANOS));
                }
            }
        } finally {
            for (SequenceWatch w : watches) {
                w.close();
            }
        }
    }

    private static <C extends Connection<?>> List<C> ready(List<C> ends, boolean checkLiveness) {
        List<C> ready = new ArrayList<>(1);
        for (C end : ends) {
            if (end.poll(checkLiveness)) {
                ready.add(end);
            }
        }
        return ready;
    }
}
