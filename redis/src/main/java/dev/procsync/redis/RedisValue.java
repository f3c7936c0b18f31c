package dev.procsync.redis;

import dev.procsync.reactive.ReactiveValue;
import java.util.function.Function;
import org.redisson.api.RAtomicLongReactive;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link ReactiveValue} over Redisson's {@code RAtomicLong}: every scalar is kept as 64 bits (an
 * int widened, a boolean as 0/1, a double as its raw bits, so compare-and-set compares bits).
 * Writes publish on the wake channel after they land; {@link #changes()} re-reads on each wake
 * message and at the poll interval, and conflates.
 *
 * @param <T> the value type
 */
final class RedisValue<T> extends Handle implements ReactiveValue<T> {
    private final RAtomicLongReactive value;
    private final Function<T, Long> toBits;
    private final Function<Long, T> fromBits;

    RedisValue(RedisReactiveProcsync rx, String name, String kind, Function<T, Long> toBits,
            Function<Long, T> fromBits) {
        super(rx, kind, name);
        this.value = rx.client().getAtomicLong(key(""));
        this.toBits = toBits;
        this.fromBits = fromBits;
    }

    @Override
    public Mono<T> get() {
        return Mono.defer(() -> {
            checkOpen();
            return value.get().map(fromBits);
        });
    }

    @Override
    public Mono<Void> set(T v) {
        long bits = toBits.apply(v);
        return Mono.defer(() -> {
            checkOpen();
            return value.set(bits).then(wake());
        });
    }

    @Override
    public Mono<Boolean> compareAndSet(T expected, T update) {
        long from = toBits.apply(expected);
        long to = toBits.apply(update);
        return Mono.defer(() -> {
            checkOpen();
            return value.compareAndSet(from, to).flatMap(done -> done ? wake().thenReturn(true) : Mono.just(false));
        });
    }

    @Override
    public Flux<T> changes() {
        return Flux.defer(() -> {
            checkOpen();
            Flux<Object> triggers = Flux.<Object>merge(Flux.just(0L), wakeups(channel()),
                    Flux.interval(pollInterval(), timer())).onBackpressureLatest();
            return triggers.concatMap(t -> value.get(), 1)
                    .distinctUntilChanged()
                    .map(fromBits)
                    .onBackpressureLatest()
                    .takeUntilOther(closed().then(Mono.just(0)))
                    .concatWith(Mono.error(this::closedError))
                    .publishOn(scheduler(), 1);
        });
    }
}
