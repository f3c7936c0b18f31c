package dev.procsync.reactive.shm;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * A {@code Mono} that builds and subscribes its source only at the subscriber's first
 * {@code request(n)}, not at subscription: for operations with an effect that Reactive Streams
 * says must not happen before demand (a condition wait releases its lock when it starts).
 * {@code Mono.defer} is not enough: it subscribes the source at once.
 *
 * <p>A cancel before the first request means the source is never built; a cancel after it is
 * passed to the source, which then does what its own cancellation says.
 *
 * @param <T> the value type
 */
final class OnRequest<T> extends Mono<T> {
    private final Supplier<? extends Mono<T>> source;

    OnRequest(Supplier<? extends Mono<T>> source) {
        this.source = source;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        actual.onSubscribe(new Gate<>(actual, source));
    }

    /*
     * state: IDLE (nothing requested) -> STARTED (request built and subscribed the source)
     *        IDLE -> CANCELLED (nothing ever starts); STARTED -> CANCELLED (the source is cancelled)
     * The source's Subscription arrives in onSubscribe, possibly after a cancel: then it is
     * cancelled there.
     */
    private static final class Gate<T> extends AtomicInteger implements Subscription, CoreSubscriber<T> {
        private static final long serialVersionUID = 1L;
        private static final int IDLE = 0;
        private static final int STARTED = 1;
        private static final int CANCELLED = 2;

        private final transient CoreSubscriber<? super T> actual;
        private final transient Supplier<? extends Mono<T>> source;
        private transient volatile @Nullable Subscription upstream;

        Gate(CoreSubscriber<? super T> actual, Supplier<? extends Mono<T>> source) {
            this.actual = actual;
            this.source = source;
        }

        @Override
        public void request(long n) {
            if (!Operators.validate(n) || !compareAndSet(IDLE, STARTED)) {
                return; // a Mono needs one request; later ones change nothing
            }
            Mono<T> mono;
            try {
                mono = source.get();
            } catch (RuntimeException e) {
                actual.onError(e);
                return;
            }
            mono.subscribe(this);
        }

        @Override
        public void cancel() {
            if (getAndSet(CANCELLED) == STARTED) {
                Subscription s = upstream;
                if (s != null) {
                    s.cancel();
                }
            }
        }

        @Override
        public void onSubscribe(Subscription s) {
            upstream = s;
            // Dekker with cancel(): it sets the state, then reads upstream; this writes upstream, then reads the state.
            if (get() == CANCELLED) {
                s.cancel();
                return;
            }
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(T t) {
            actual.onNext(t);
        }

        @Override
        public void onError(Throwable t) {
            actual.onError(t);
        }

        @Override
        public void onComplete() {
            actual.onComplete();
        }

        @Override
        public reactor.util.context.Context currentContext() {
            return actual.currentContext();
        }
    }
}
