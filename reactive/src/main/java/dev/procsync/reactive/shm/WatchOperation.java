package dev.procsync.reactive.shm;

import dev.procsync.reactive.poller.WaitOperation;
import dev.procsync.sync.Watch;
import org.jspecify.annotations.Nullable;

/**
 * A {@link WaitOperation} over a core primitive's {@link Watch} hook, which registers one sleeper
 * per waiter: one instance per subscription. The first failed plain try arms the watch; every
 * later try is {@link Watch#tryComplete()}; giving up closes the watch, which passes on a wake-up
 * it may have absorbed.
 *
 * <p>{@link #abandon()} may run on a cancelling thread while the poller arms: the poller publishes
 * the watch and then reads {@code abandoned}, the canceller sets {@code abandoned} and then reads
 * the watch (both volatile), so at least one of them closes it ({@link Watch#close()} is
 * idempotent, and exactly one of close and a racing tryComplete wins).
 *
 * @param <T> what a successful try yields
 */
abstract class WatchOperation<T> implements WaitOperation<T> {
    private volatile @Nullable Watch watch;
    private volatile boolean abandoned;

    /** A plain try that registers nothing. */
    protected abstract boolean tryNow();

    /** Registers a sleeper through the primitive's arm hook. */
    protected abstract Watch register();

    /** What a success yields. */
    protected abstract T taken();

    @Override
    public @Nullable T tryTake(boolean sweep) {
        Watch w = watch;
        if (w == null) {
            if (tryNow()) {
                return taken();
            }
            w = register();
            watch = w;
            if (abandoned) {
                w.close();
                return null;
            }
        }
        return w.tryComplete() ? taken() : null;
    }

    @Override
    public @Nullable T tryOnce() {
        return tryNow() ? taken() : null;
    }

    @Override
    public final long arm() {
        Watch w = watch;
        return w == null ? RETRY : w.expected() & 0xFFFF_FFFFL;
    }

    @Override
    public final long address() {
        Watch w = watch;
        if (w == null) {
            throw new IllegalStateException("not armed");
        }
        return w.address();
    }

    @Override
    public final void abandon() {
        abandoned = true;
        Watch w = watch;
        if (w != null) {
            w.close();
        }
    }
}
