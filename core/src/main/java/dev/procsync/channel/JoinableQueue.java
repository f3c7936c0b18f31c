package dev.procsync.channel;

import dev.procsync.OverReleaseException;
import dev.procsync.futex.WakeIntent;
import dev.procsync.layout.QueueLayout;
import dev.procsync.codec.Codec;
import dev.procsync.internal.InternalApi;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SegmentKind;
import java.time.Duration;

/**
 * A {@link Queue} that also counts unfinished tasks: the analogue of
 * {@code multiprocessing.JoinableQueue}. Every put adds one unfinished task; a consumer calls
 * {@link #taskDone()} once per message it got, when it has finished with it; {@link #join()} waits
 * until the count is zero. The counts live in the queue's shared memory, so any process may call
 * {@code taskDone()} and any process may join.
 *
 * <p>{@code join()} waits for the count, not for the queue to be empty, and has no notion of who
 * holds a task: a consumer that dies after getting a message and before calling
 * {@code taskDone()} leaves that task unfinished, and joiners wait for it (with
 * {@link #join(Duration)} they can give up). A message lost with a producer killed inside its put
 * (see {@link Queue}) is counted done when consumers skip it.
 *
 * <h2>Memory consistency effects</h2>
 * Actions before a {@code taskDone()} happen-before the return of a {@code join()} that it lets
 * return, in any process.
 *
 * @param <T> the message type
 */
public final class JoinableQueue<T> extends Queue<T> {
    private JoinableQueue(SegmentDirectory ns, String name, Codec<T> codec, QueueCapacity capacity) {
        super(ns, name, codec, capacity, SegmentKind.JOINABLE_QUEUE, "joinable queue");
    }

    /**
     * Opens or creates the named joinable queue; see
     * {@link dev.procsync.Namespace#joinableQueue(String, Codec, QueueCapacity)}.
     *
     * @param <T>      the message type
     * @param ns       the namespace
     * @param name     the queue's name
     * @param codec    how messages are encoded
     * @param capacity the bound
     * @return a new handle
     */
    public static <T> JoinableQueue<T> open(SegmentDirectory ns, String name, Codec<T> codec, QueueCapacity capacity) {
        return new JoinableQueue<>(ns, name, codec, capacity);
    }

    /**
     * Marks one task finished. Wakes the joiners when it was the last unfinished one.
     *
     * @throws dev.procsync.OverReleaseException if there is no unfinished task (called more times than
     *                               messages were put: Python's ValueError)
     */
    public void taskDone() {
        var segment = ring.segment;
        while (true) {
            long done = segment.getLongAcquire(QueueLayout.DONE_TOTAL);
            long put = ring.putTotal();
            if (done >= put) {
                throw new OverReleaseException("taskDone() called too many times on " + ring.what + " ("
                        + put + " tasks put, " + done + " done)");
            }
            // CAS, not getAndAdd: the count must never pass putTotal, even under concurrent calls.
            if (segment.compareAndSetLong(QueueLayout.DONE_TOTAL, done, done + 1)) {
                if (done + 1 == ring.putTotal()) {
                    ring.signal(QueueLayout.JOINED);
                }
                return;
            }
        }
    }

    /** Tasks put and not yet marked done (a snapshot). @return the count */
    public long unfinishedTasks() {
        long done = ring.segment.getLongAcquire(QueueLayout.DONE_TOTAL);
        return Math.max(0, ring.putTotal() - done);
    }

    /**
     * Registers the caller as a sleeper on the "joined" event count without blocking, for a caller
     * that sleeps elsewhere (the reactive poller). Protocol: arm, then check
     * {@link #unfinishedTasks()}; if it is not zero, sleep on {@link #joinedAddress()} while the
     * word holds the returned value (a bounded futex wait or one entry of a {@code futex_waitv}),
     * and check again after every return. A {@link #taskDone()} that brings the count to zero (or a
     * consumer that counts a dead producer's record done) and finds a sleeper registered wakes all
     * of them, so giving up needs no undo (a stale registration costs one spurious
     * {@code FUTEX_WAKE}). The same registration as {@link #join()}'s.
     *
     * @return the value to sleep on
     * @throws dev.procsync.ClosedException if this handle is closed
     */
    @InternalApi
    public int armJoined() {
        return ring.prepareWait(QueueLayout.JOINED);
    }

    /**
     * The address of the "joined" event count; valid while this handle is open.
     *
     * @return the native address
     */
    @InternalApi
    public long joinedAddress() {
        return ring.segment.address(QueueLayout.JOINED);
    }

    /**
     * Waits until every task put so far is done.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void join() throws InterruptedException {
        await(Deadline.NONE);
    }

    /**
     * Waits at most {@code timeout} until every task is done.
     *
     * @param timeout longest wait; zero or negative only checks
     * @return whether the count reached zero ({@code false} on timeout)
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean join(Duration timeout) throws InterruptedException {
        return await(Deadline.of(timeout, ring.what));
    }

    private boolean await(long deadline) throws InterruptedException {
        var segment = ring.segment;
        while (true) {
            if (unfinishedTasks() == 0) {
                return true;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted joining " + ring.what);
            }
            long left = Deadline.remaining(deadline);
            if (left <= 0) {
                return false;
            }
            int s = ring.prepareWait(QueueLayout.JOINED);
            if (unfinishedTasks() == 0) {
                return true;
            }
            segment.await(QueueLayout.JOINED, s, left, ring.slice, WakeIntent.ALL);
            segment.checkOpen();
        }
    }
}
