package dev.procsync;

import java.io.Serial;

/**
 * The root of every exception procsync throws for a broken invariant, a bad file, a misuse that no
 * JDK type describes, or an operating-system failure.
 *
 * <p>It is an {@link IllegalStateException}: the state of a shared object (closed, full, taken,
 * broken) is what makes the call fail. The hierarchy:
 * <ul>
 *   <li>{@link ClosedException}: a handle used after {@code close()}, checked before anything
 *       else (a closed pipe end used the wrong way says closed);
 *       {@link dev.procsync.channel.QueueShutdownException} for a queue that was shut down.</li>
 *   <li>{@link OverReleaseException}: a release, or {@code taskDone()}, past what was taken.</li>
 *   <li>{@link dev.procsync.sync.TooManyWaitersException}: every waiter slot of a condition is
 *       taken.</li>
 *   <li>{@link dev.procsync.channel.WrongDirectionException},
 *       {@link dev.procsync.channel.PipeEndUnavailableException},
 *       {@link dev.procsync.channel.BrokenPipeException},
 *       {@link dev.procsync.channel.EndOfPipeException}, {@link dev.procsync.channel.MessageTooLongException},
 *       {@link dev.procsync.channel.BufferTooShortException}: pipes and queues.</li>
 *   <li>{@link SegmentExistsException}, {@link SegmentNotFoundException},
 *       {@link SegmentMismatchException}, {@link InvalidSegmentException}: the files.</li>
 * </ul>
 * Where a JDK type says it exactly, procsync throws that instead: {@link IllegalArgumentException}
 * for a bad argument (named in the message), {@link NullPointerException} for a null one,
 * {@link IllegalMonitorStateException} when the caller is not the owner (an {@code RLock} released
 * by another thread, a {@code Condition} used by a thread that does not hold its lock),
 * {@link InterruptedException} and {@link java.util.concurrent.BrokenBarrierException}. A plain
 * {@code Lock} has no owner (any thread of any process may release it), so releasing a free one
 * is an {@link OverReleaseException}, not a monitor error.
 */
public class ProcsyncException extends IllegalStateException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the object
     */
    public ProcsyncException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what was wrong, naming the object
     * @param cause   the underlying failure
     */
    public ProcsyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
