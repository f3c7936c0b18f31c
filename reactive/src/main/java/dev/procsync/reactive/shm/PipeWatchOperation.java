package dev.procsync.reactive.shm;

import dev.procsync.reactive.poller.WaitOperation;
import dev.procsync.segment.SequenceWatch;
import org.jspecify.annotations.Nullable;

/**
 * A {@link WaitOperation} that sleeps through a pipe ring's {@link SequenceWatch} (a pending receive or
 * send of one end): one instance per subscription. The registration is made by the poller's first
 * {@link #arm()} and closed once, when the operation goes through or is abandoned: the poller
 * publishes the watch and then reads {@code abandoned}, a canceller sets {@code abandoned} and then
 * reads the watch (both volatile), so at least one of them closes it, and
 * {@link SequenceWatch#close()} is idempotent.
 *
 * @param <T> what a successful try yields
 */
abstract class PipeWatchOperation<T> implements WaitOperation<T> {
    private volatile @Nullable SequenceWatch watch;
    private volatile boolean abandoned;

    /** Registers the sleeper: {@code Connection.armReceive()} or {@code armSend(frame)}. */
    protected abstract SequenceWatch register();

    /** Whether a try would go through now; checked after the sequence is read (the eventcount). */
    protected abstract boolean readyNow();

    @Override
    public final long arm() {
        SequenceWatch w = watch;
        if (w == null) {
            w = register();
            watch = w;
            if (abandoned) {
                w.close();
                return RETRY; // the poller drops this waiter on its next try
            }
        }
        // Sequence first, then the check: a publish by the peer after the read bumps the word.
        int value = w.sequence();
        return readyNow() ? RETRY : value & 0xFFFF_FFFFL;
    }

    @Override
    public final long address() {
        SequenceWatch w = watch;
        if (w == null) {
            throw new IllegalStateException("not armed");
        }
        return w.address();
    }

    @Override
    public final void abandon() {
        abandoned = true;
        disarm();
    }

    /** Closes the registration, if made (after the operation went through). */
    protected final void disarm() {
        SequenceWatch w = watch;
        if (w != null) {
            w.close();
        }
    }
}
