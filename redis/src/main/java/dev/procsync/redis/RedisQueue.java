package dev.procsync.redis;

import dev.procsync.codec.Codec;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveJoinableQueue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import org.redisson.api.RScript;
import org.redisson.client.codec.ByteArrayCodec;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * {@link ReactiveJoinableQueue} (a plain queue ignores the task count) as a reliable Redis list.
 *
 * <p>Keys: {@code items} (the list, put at the tail, taken from the head), {@code consumers} (a
 * sorted set of consumer ids scored by their lease's end, server time), {@code inflight:<id>} (what
 * a consumer has taken and not yet handed over) and {@code unfinished} (the task count). A take
 * is one script: it first moves the in-flight items of every consumer whose lease ended back to
 * the head of {@code items}, then renews its own lease and moves one item from {@code items} to its
 * in-flight list. The item is acknowledged (removed from in-flight) once the subscriber's
 * {@code onNext} has returned; a take cancelled before that puts the item back at the head.
 *
 * <p>Redelivery rule (at least once): an item taken by a consumer that dies, or is cut off longer
 * than its lease, before its {@code onNext} returned is delivered again to the next consumer that
 * takes after the lease ended, ahead of the other items. Every consumer handle renews its lease
 * every third of it while open. The scripts name the in-flight lists of other consumers, so the
 * queue needs a single Redis node (or all of a cluster's keys of the queue on one slot: they share
 * the hash tag {@code {queue:<name>}}).
 *
 * @param <T> the item type
 */
final class RedisQueue<T> extends Handle implements ReactiveJoinableQueue<T> {
    private static final String NOW = "local t = redis.call('TIME'); "
            + "local now = t[1] * 1000 + math.floor(t[2] / 1000); ";
    private static final String PUT = "if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end; "
            + "redis.call('RPUSH', KEYS[1], ARGV[1]); "
            + "if ARGV[3] == '1' then redis.call('INCR', KEYS[2]) end; "
            + "redis.call('PUBLISH', KEYS[3], 'i'); return 1";
    private static final String TAKE = NOW
            + "local dead = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now); "
            + "for _, id in ipairs(dead) do "
            + "  local l = ARGV[1] .. id; "
            + "  while redis.call('LMOVE', l, KEYS[1], 'RIGHT', 'LEFT') do end; "
            + "  redis.call('ZREM', KEYS[2], id) end; "
            + "redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[2]); "
            + "local item = redis.call('LMOVE', KEYS[1], ARGV[1] .. ARGV[2], 'LEFT', 'RIGHT'); "
            + "if item then redis.call('PUBLISH', KEYS[3], 's') end; return item";
    private static final String ACK = "return redis.call('LREM', KEYS[1], 1, ARGV[1])";
    private static final String PUT_BACK = "if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 1 then "
            + "redis.call('LPUSH', KEYS[2], ARGV[1]); redis.call('PUBLISH', KEYS[3], 'i') end; return 1";
    private static final String RENEW = NOW
            + "redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1]); return 1";
    private static final String RETIRE = "while redis.call('LMOVE', KEYS[2], KEYS[1], 'RIGHT', 'LEFT') do end; "
            + "redis.call('ZREM', KEYS[3], ARGV[1]); redis.call('PUBLISH', KEYS[4], 'i'); return 1";
    private static final String TASK_DONE = "local n = tonumber(redis.call('GET', KEYS[1]) or '0'); "
            + "if n <= 0 then return -1 end; n = redis.call('DECR', KEYS[1]); "
            + "if n == 0 then redis.call('PUBLISH', KEYS[2], 'j') end; return n";

    /** Messages buffered under {@link QueueBound#defaults()}. */
    static final long DEFAULT_MESSAGES = 1L << 16;
    /** Largest encoded message when the bound gives no bytes: 1 MiB. */
    static final long DEFAULT_MESSAGE_BYTES = 1L << 20;

    private final Codec<T> codec;
    private final long maxMessages;
    private final long maxBytes;
    private final boolean joinable;
    private final String consumer;
    private final Disposable heartbeat;

    RedisQueue(RedisReactiveProcsync rx, String name, Codec<T> codec, QueueBound bound, boolean joinable) {
        super(rx, "queue", name);
        this.codec = codec;
        this.maxMessages = bound.isDefault() ? DEFAULT_MESSAGES : bound.maxMessages();
        this.maxBytes = bound.maxBytes() == 0 ? DEFAULT_MESSAGE_BYTES : bound.maxBytes();
        this.joinable = joinable;
        this.consumer = rx.clientId() + ":" + rx.nextOwner();
        long leaseMs = lease().toMillis();
        this.heartbeat = Flux.interval(Duration.ofMillis(Math.max(1, leaseMs / 3)), timer())
                .concatMap(t -> bytesEval(RENEW, RScript.ReturnType.LONG, List.of(key(":consumers")),
                        bytes(consumer), bytes(Long.toString(leaseMs))).onErrorResume(e -> Mono.empty()))
                .subscribe(v -> { }, e -> { });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private <R> Mono<R> bytesEval(String lua, RScript.ReturnType type, List<Object> keys, Object... args) {
        return rx.client().getScript(ByteArrayCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, lua, type, keys, args);
    }

    private String inflight() {
        return key(":inflight:") + consumer;
    }

    private Mono<Boolean> attemptPut(byte[] encoded) {
        return this.<Long>bytesEval(PUT, RScript.ReturnType.LONG, List.of(key(":items"), key(":unfinished"), channel()),
                encoded, bytes(Long.toString(maxMessages)), bytes(joinable ? "1" : "0")).flatMap(v ->
                v == 1L ? Mono.just(true) : Mono.empty());
    }

    private Mono<byte[]> attemptTake() {
        return bytesEval(TAKE, RScript.ReturnType.VALUE, List.of(key(":items"), key(":consumers"), channel()),
                bytes(key(":inflight:")), bytes(consumer), bytes(Long.toString(lease().toMillis())));
    }

    private void putBack(byte[] item) {
        bytesEval(PUT_BACK, RScript.ReturnType.LONG, List.of(inflight(), key(":items"), channel()), (Object) item)
                .subscribe(v -> { }, e -> { });
    }

    private Mono<Void> ack(byte[] item) {
        return bytesEval(ACK, RScript.ReturnType.LONG, List.of(inflight()), (Object) item).then();
    }

    private byte[] encode(T item) {
        byte[] encoded = codec.encode(item);
        if (encoded.length > maxBytes) {
            throw new IllegalArgumentException("message of " + encoded.length + " bytes exceeds the bound of " + this
                    + ": " + maxBytes + " bytes");
        }
        return encoded;
    }

    private T decode(byte[] raw) {
        return codec.decode(ByteBuffer.wrap(raw).asReadOnlyBuffer());
    }

    @Override
    public Mono<Boolean> offer(T item) {
        return Mono.defer(() -> {
            byte[] encoded = encode(item);
            return Waits.once(this, () -> attemptPut(encoded), v -> { }).defaultIfEmpty(false);
        });
    }

    @Override
    public Mono<Void> put(T item) {
        return Mono.defer(() -> {
            byte[] encoded = encode(item);
            return Waits.until(this, channel(), () -> attemptPut(encoded), v -> { }).then();
        });
    }

    @Override
    public Mono<T> poll() {
        return acked(Waits.once(this, this::attemptTake, this::putBack).flux()).next();
    }

    @Override
    public Mono<T> take() {
        return receive().take(1, true).next();
    }

    @Override
    public Mono<Void> send(Publisher<? extends T> items) {
        return Flux.from(items).concatMap(this::put, 1).then();
    }

    @Override
    public Flux<T> receive() {
        // repeat() subscribes the next take only when the previous one completed, and a take tries
        // only once it is requested: nothing is dequeued beyond the subscriber's demand.
        return acked(Flux.defer(() -> Waits.until(this, channel(), this::attemptTake, this::putBack)).repeat());
    }

    /** Decodes and hands over each item, acknowledging it once the subscriber's onNext returned. */
    private Flux<T> acked(Flux<byte[]> raw) {
        return raw.transform(Operators.<byte[], T>lift((scannable, actual) -> new CoreSubscriber<byte[]>() {
            @Override
            public void onSubscribe(Subscription s) {
                actual.onSubscribe(s);
            }

            @Override
            public void onNext(byte[] item) {
                T value;
                try {
                    value = decode(item);
                } catch (RuntimeException e) {
                    ack(item).subscribe(v -> { }, x -> { }); // a message nobody can decode is not redelivered
                    actual.onError(e);
                    return;
                }
                actual.onNext(value);
                ack(item).subscribe(v -> { }, e -> { });
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
            public Context currentContext() {
                return actual.currentContext();
            }
        }));
    }

    @Override
    public Mono<Void> taskDone() {
        return Mono.defer(() -> {
            checkOpen();
            return this.<Long>eval(TASK_DONE, RScript.ReturnType.LONG, List.of(key(":unfinished"), channel()))
                    .flatMap(n -> n < 0 ? Mono.error(new IllegalStateException("taskDone() called more times than "
                            + "items were put on " + this)) : Mono.empty());
        });
    }

    private Mono<Boolean> attemptJoin() {
        return this.<String>eval("return redis.call('GET', KEYS[1]) or '0'", RScript.ReturnType.VALUE,
                List.of(key(":unfinished"))).filter(n -> Long.parseLong(n) <= 0).map(n -> true);
    }

    @Override
    public Mono<Void> join() {
        return Waits.until(this, channel(), this::attemptJoin, v -> { }).then();
    }

    @Override
    public Mono<Void> join(Duration timeout) {
        return Waits.until(this, channel(), this::attemptJoin, v -> { }, timeout).then();
    }

    @Override
    public void close() {
        super.close();
        heartbeat.dispose();
        bytesEval(RETIRE, RScript.ReturnType.LONG, List.of(key(":items"), inflight(), key(":consumers"), channel()),
                (Object) bytes(consumer)).subscribe(v -> { }, e -> { });
    }
}
