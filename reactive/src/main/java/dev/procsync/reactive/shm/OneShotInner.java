package dev.procsync.reactive.shm;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * The subscriber an outer operator (a receive or a send) puts on one poller wait: it asks for the
 * single value, and can be cancelled from another thread before or after its subscription arrives.
 * Subclasses say what to do with the value and the end signals.
 *
 * @param <V> the value of the wait
 */
abstract class OneShotInner<V> implements CoreSubscriber<V> {
    private volatile @Nullable Subscription subscription;
    private volatile boolean cancelled;

    /** Whether the outer operator has been cancelled (checked once the subscription arrives). */
    abstract boolean outerCancelled();

    @Override
    public final void onSubscribe(Subscription s) {
        subscription = s;
        // Dekker with cancel(): either it sees the subscription, or this sees the flag.
        if (cancelled || outerCancelled()) {
            s.cancel();
            return;
        }
        s.request(1);
    }

    /** Cancels the wait, now or as soon as its subscription arrives; idempotent. */
    final void cancel() {
        cancelled = true;
        Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
