package dev.procsync.redis;

import dev.procsync.reactive.ReactiveEvent;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.redisson.api.RScript;
import reactor.core.publisher.Mono;

/**
 * {@link ReactiveEvent} as one key that exists while the flag is set: {@code set()} writes it and
 * publishes on the wake channel in one script; a waiter re-reads it on each wake message and at
 * the poll interval (so a message lost to a reconnect delays it by at most one interval).
 */
final class RedisEvent extends Handle implements ReactiveEvent {
    private static final String SET = "redis.call('SET', KEYS[1], '1'); redis.call('INCR', KEYS[3]); "
            + "redis.call('PUBLISH', KEYS[2], ''); return 1";
    private static final String READ = "return {redis.call('EXISTS', KEYS[1]), "
            + "tonumber(redis.call('GET', KEYS[2]) or '0')}";

    RedisEvent(RedisReactiveProcsync rx, String name) {
        super(rx, "event", name);
    }

    /**
     * A waiter's tries: done when the flag is set, or when a set happened since its first try (a
     * set followed at once by a clear still releases everyone who was waiting, as on shared memory).
     */
    private Supplier<Mono<Boolean>> attempts() {
        AtomicLong firstGeneration = new AtomicLong(-1);
        return () -> this.<List<Long>>eval(READ, RScript.ReturnType.LIST, List.of(key(""), key(":sets")))
                .flatMap(r -> {
                    long generation = r.get(1);
                    firstGeneration.compareAndSet(-1, generation);
                    return r.get(0) == 1L || generation != firstGeneration.get() ? Mono.just(true) : Mono.empty();
                });
    }

    @Override
    public Mono<Void> set() {
        return Mono.defer(() -> {
            checkOpen();
            return this.<Long>eval(SET, RScript.ReturnType.LONG, List.of(key(""), channel(), key(":sets"))).then();
        });
    }

    @Override
    public Mono<Void> clear() {
        return Mono.defer(() -> {
            checkOpen();
            return this.<Long>eval("return redis.call('DEL', KEYS[1])", RScript.ReturnType.LONG, List.of(key("")))
                    .then();
        });
    }

    @Override
    public Mono<Boolean> isSet() {
        return Mono.defer(() -> this.<Long>eval("return redis.call('EXISTS', KEYS[1])", RScript.ReturnType.LONG,
                List.of(key(""))).map(v -> v == 1L));
    }

    @Override
    public Mono<Void> await() {
        return Mono.defer(() -> Waits.until(this, channel(), attempts(), v -> { })).then();
    }

    @Override
    public Mono<Void> await(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return Mono.defer(() -> Waits.until(this, channel(), attempts(), v -> { }, timeout)).then();
    }
}
