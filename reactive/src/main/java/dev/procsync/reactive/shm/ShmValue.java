package dev.procsync.reactive.shm;

import dev.procsync.data.SharedValue;
import dev.procsync.reactive.ReactiveValue;
import dev.procsync.internal.engine.Poller;
import dev.procsync.reactive.poller.WaitMono;
import dev.procsync.reactive.poller.WaitOperation;
import dev.procsync.segment.SequenceWatch;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@link ReactiveValue} over a core shared scalar ({@code SharedInt}, {@code SharedLong},
 * {@code SharedDouble}, {@code SharedBoolean}), through an {@link Access} of its methods.
 *
 * <p>{@link #changes()} registers as a watcher of the value ({@code armChanges()}, a
 * {@link SequenceWatch}): every write in any process wakes the poller, which compares the value with
 * the last one emitted. A conflating stream: it never emits the same value twice in a row, and
 * values written between two looks are skipped (the latest one is emitted).
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

        SequenceWatch armChanges();

        void close();

        /** The operations of one core scalar, given as its methods (boxing at the edge). */
        static <T> Access<T> of(SharedValue value, Supplier<T> get, Consumer<T> set, BiPredicate<T, T> cas,
                Supplier<SequenceWatch> arm) {
            return new Access<>() {
                @Override
                public String name() {
                    return value.name();
                }

                @Override
                public T get() {
                    return get.get();
                }

                @Override
                public void set(T update) {
                    set.accept(update);
                }

                @Override
                public boolean compareAndSet(T expected, T update) {
                    return cas.test(expected, update);
                }

                @Override
                public SequenceWatch armChanges() {
                    return arm.get();
                }

                @Override
                public void close() {
                    value.close();
                }
            };
        }
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

    /**
     * One subscriber's watch: succeeds when the value differs from what it last emitted. The
     * registration is made by the poller's first {@link #arm()} of each wait and closed when the wait
     * takes a value or is abandoned (the same publish-then-check race as {@code PipeWatchOperation}).
     */
    private final class Change implements WaitOperation<T> {
        private @Nullable T last; // touched by one thread at a time (request thread, then poller)
        private volatile @Nullable SequenceWatch watch;
        private volatile boolean abandoned;

        @Override
        public @Nullable T tryTake(boolean sweep) {
            T now = value.get();
            if (now.equals(last)) {
                return null;
            }
            last = now;
            disarm();
            return now;
        }

        @Override
        public long arm() {
            SequenceWatch w = watch;
            if (w == null) {
                w = value.armChanges();
                watch = w;
                if (abandoned) {
                    w.close();
                    return RETRY;
                }
            }
            // Sequence first, then the comparison: a write after the read bumps the word.
            int seq = w.sequence();
            return value.get().equals(last) ? seq & 0xFFFF_FFFFL : RETRY;
        }

        @Override
        public long address() {
            SequenceWatch w = watch;
            if (w == null) {
                throw new IllegalStateException("not armed");
            }
            return w.address();
        }

        @Override
        public void abandon() {
            abandoned = true;
            disarm();
        }

        private void disarm() {
            SequenceWatch w = watch;
            if (w != null) {
                watch = null; // the next wait of the repeated stream registers afresh
                w.close();
            }
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
