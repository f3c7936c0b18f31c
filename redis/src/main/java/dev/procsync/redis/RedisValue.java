package dev.procsync.redis;

import dev.procsync.reactive.ReactiveValue;
import java.util.function.Function;
import org.redisson.api.RAtomicLongReactive;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link ReactiveValue} over Redisson's {@code RAtomicLong}: every scalar is kept as one Redis
 * integer of 64 bits (an int widened, a boolean as 0/1, a double as its raw bits, so
 * compare-and-set compares bits). No codec is involved: the server holds a number, and
 * {@code get}, {@code set} and {@code compareAndSet} are single atomic commands, linearizable as
 * the server executes them. The scalar values of the API need nothing more; a value of another
 * type would be an {@code RBucket} of codec bytes.
 *
 * <p>Writes publish on the wake channel after they land. {@link #changes()} reads the value only
 * when its subscriber has asked for one (no prefetch): on subscription, then after each wake
 * message or poll tick while demand is unmet, skipping a read equal to the last emitted. Wake-ups
 * that come while the subscriber asks for nothing collapse into one read at its next request, so a
 * slow subscriber gets the value current at that request. Unlike shared memory this backend also
 * re-reads at the poll interval, a safety net for a wake message lost to a reconnect.
 *
 * <p>Failure: a command that fails after Redisson's retries errors the Mono, or ends
 * {@code changes()} with the error; the handle works again once the client has reconnected.
 * {@code close()} ends {@code changes()} with {@link RedisClosedException}.
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
            // Without prefetch a read is sent only once the subscriber asked for a value, so what
            // it gets is what the server held at (or after) its request; wake-ups that came while it
            // was not asking are conflated into one read.
            return triggers.concatMap(t -> value.get().publishOn(scheduler()), 0)
                    .distinctUntilChanged()
                    .map(fromBits)
                    .takeUntilOther(closed().then(Mono.just(0)))
                    .concatWith(Mono.error(this::closedError));
        });
    }
}
