package dev.procsync.reactive.shm;

import dev.procsync.reactive.ReactiveValue;
import dev.procsync.reactive.poller.Poller;
import dev.procsync.reactive.poller.WaitMono;
import dev.procsync.reactive.poller.WaitOperation;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@link ReactiveValue} over a core shared scalar ({@code SharedInt}, {@code SharedLong},
 * {@code SharedDouble}, {@code SharedBoolean}), through an {@link Access} of its methods.
 *
 * <p>{@link #changes()} compares the value with the last one it emitted each time the poller looks
 * (the core values have no watch hook, so it is a bounded timed poll of about a millisecond while
 * someone is watching): a conflating stream that never emits the same value twice in a row.
 *
 * @param <T> the value type
 */
final class ShmValue<T> implements ReactiveValue<T> {
    /** The core value's operations. */
    interface Access<T> {
        String name();

        T get();

        void set(T value);

        boolean compareAndSet(T expected, T update);

        void close();
    }

    private final Access<T> value;
    private final String kind;
    private final Supplier<Scheduler> scheduler;

    ShmValue(Access<T> value, String kind, Supplier<Scheduler> scheduler) {
        this.value = value;
        this.kind = kind;
        this.scheduler = scheduler;
    }

    @Override
    public String name() {
        return value.name();
    }

    @Override
    public Mono<T> get() {
        return Mono.fromSupplier(value::get);
    }

    @Override
    public Mono<Void> set(T update) {
        Objects.requireNonNull(update, "value");
        return Mono.fromRunnable(() -> value.set(update));
    }

    @Override
    public Mono<Boolean> compareAndSet(T expected, T update) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(update, "update");
        return Mono.fromSupplier(() -> value.compareAndSet(expected, update));
    }

    @Override
    public Flux<T> changes() {
        return Flux.defer(() -> {
            Change change = new Change();
            return new WaitMono<>(() -> change, scheduler, null, true).repeat();
        });
    }

    String describe() {
        return kind + " '" + value.name() + "'";
    }

    @Override
    public void close() {
        value.close();
        Poller.shared().nudge();
    }

    @Override
    public String toString() {
        return "Reactive" + value;
    }

    /** One subscriber's watch: succeeds when the value differs from what it last emitted. */
    private final class Change implements WaitOperation<T> {
        private @Nullable T last; // touched by one thread at a time (request thread, then poller)

        @Override
        public @Nullable T tryTake(boolean sweep) {
            T now = value.get();
            if (now.equals(last)) {
                return null;
            }
            last = now;
            return now;
        }

        @Override
        public long arm() {
            return POLL;
        }

        @Override
        public long address() {
            throw new IllegalStateException("polled");
        }

        @Override
        public void giveBack(T taken) {
            last = null; // not delivered: the next subscription emits the current value again
        }

        @Override
        public Object key() {
            return this;
        }

        @Override
        public String describe() {
            return ShmValue.this.describe();
        }
    }
}
