package dev.procsync.redis;

import dev.procsync.codec.Codec;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveJoinableQueue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.redisson.api.RScript;
import org.redisson.client.codec.ByteArrayCodec;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link ReactiveJoinableQueue} (and, with the task count ignored, the plain queue) as a reliable
 * Redis list: at-least-once delivery with leases, in the manner of the "reliable queue" pattern
 * ({@code LMOVE} into a per-consumer list).
 *
 * <p><b>Keys</b>, all under the hash tag {@code {queue:<name>}}: {@code items} (the list; put at the
 * tail, taken from the head), {@code consumers} (a sorted set of consumer ids scored by the end of
 * their lease, in server time), {@code inflight:<id>} (what that consumer has taken and not yet
 * acknowledged) and {@code unfinished} (the task count of a joinable queue). A consumer is one
 * subscription to {@link #receive()} (or one {@link #poll()}/{@link #take()}); the handle renews the
 * leases of its live consumers every third of {@link RedisReactiveProcsync#lease()}.
 *
 * <p><b>Delivery and acknowledgement.</b> A consumer takes one item at a time, and only while its
 * subscriber has unmet demand: one script sweeps (below), acknowledges the consumer's previous item,
 * renews its lease and moves the head of {@code items} to its in-flight list. The item is handed to
 * the subscriber on the handle's Scheduler; it counts as <em>acknowledged once the subscriber's
 * {@code onNext} has returned</em> (the acknowledgement rides on the consumer's next take, or goes
 * alone when demand runs out). The neutral {@code ReactiveQueue} has no ack call, so delivery is the
 * only moment both backends share. A consumer that ends (cancel, error, the handle's close) gives
 * what is still in flight back to the head of {@code items}, in order.
 *
 * <p><b>Redelivery rule.</b> Every take first moves the in-flight items of each consumer whose lease
 * has ended back to the head of {@code items}, ahead of everything else, and forgets that consumer.
 * So an item taken by a client that dies (or is cut off from the server for longer than the lease)
 * before its subscriber's {@code onNext} returned is delivered again, to the next consumer that
 * takes after the lease ended; an item whose {@code onNext} returned but whose acknowledgement did
 * not reach the server (the client died in that round trip, or the command failed) can be
 * delivered twice. Nothing acknowledged is delivered again, and nothing taken is dropped.
 *
 * <p><b>Bound.</b> {@code put}/{@code offer} find room while {@code items} holds fewer than the
 * bound's messages (items in flight do not count; redelivered items are put back regardless); a
 * single encoded message longer than the bound's bytes is refused with
 * {@link IllegalArgumentException}. Waiting puts are woken by each take, waiting consumers by each
 * put, joins by the task count reaching 0, and all of them re-check at the poll interval.
 *
 * <p><b>Failure.</b> A command that fails after Redisson's retries fails what issued it: {@code put},
 * {@code offer}, {@code take}, {@code poll}, {@code join} and {@code taskDone} error with Redisson's
 * exception, and so does {@code receive()} (resubscribe, e.g. with {@code retryWhen}, to go on). A
 * put whose reply was lost may have landed; a take whose reply was lost leaves its item in the
 * consumer's in-flight list, which is given back on the consumer's end or, failing that, when its
 * lease ends. The handle works again once the server is back (Redisson reconnects); a server that
 * restarts without persistence comes back empty.
 *
 * <p>The scripts name other consumers' in-flight lists, so a queue lives on one Redis node (its keys
 * share one hash slot in a cluster).
 *
 * @param <T> the item type
 */
final class RedisQueue<T> extends Handle implements ReactiveJoinableQueue<T> {
    private static final String NOW = "local t = redis.call('TIME'); "
            + "local now = t[1] * 1000 + math.floor(t[2] / 1000); ";
    // KEYS: items, unfinished, items channel. ARGV: item, max messages, joinable.
    private static final String PUT = "if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end; "
            + "redis.call('RPUSH', KEYS[1], ARGV[1]); "
            + "if ARGV[3] == '1' then redis.call('INCR', KEYS[2]) end; "
            + "redis.call('PUBLISH', KEYS[3], 'i'); return 1";
    // KEYS: items, consumers, room channel, items channel. ARGV: in-flight prefix, id, lease ms, ack?, ack item.
    private static final String TAKE = NOW
            + "local swept = 0; "
            + "for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do "
            + "  if id ~= ARGV[2] then "
            + "    while redis.call('LMOVE', ARGV[1] .. id, KEYS[1], 'RIGHT', 'LEFT') do swept = swept + 1 end; "
            + "    redis.call('ZREM', KEYS[2], id) end end; "
            + "local mine = ARGV[1] .. ARGV[2]; "
            + "if ARGV[4] == '1' then redis.call('LREM', mine, 1, ARGV[5]) end; "
            + "redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[2]); "
            + "local item = redis.call('LMOVE', KEYS[1], mine, 'LEFT', 'RIGHT'); "
            + "if item then redis.call('PUBLISH', KEYS[3], 'r') end; "
            + "if swept > 1 or (swept == 1 and not item) then redis.call('PUBLISH', KEYS[4], 'i') end; "
            + "return item";
    // KEYS: the consumer's in-flight list. ARGV: item.
    private static final String ACK = "return redis.call('LREM', KEYS[1], 1, ARGV[1])";
    // KEYS: items, consumers, items channel, in-flight list. ARGV: id, ack?, ack item.
    private static final String RETIRE = "if ARGV[2] == '1' then redis.call('LREM', KEYS[4], 1, ARGV[3]) end; "
            + "local n = 0; "
            + "while redis.call('LMOVE', KEYS[4], KEYS[1], 'RIGHT', 'LEFT') do n = n + 1 end; "
            + "redis.call('ZREM', KEYS[2], ARGV[1]); "
            + "if n > 0 then redis.call('PUBLISH', KEYS[3], 'i') end; return n";
    // KEYS: consumers. ARGV: lease ms, ids...
    private static final String RENEW = NOW
            + "for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i]) end; return 1";
    // KEYS: unfinished, join channel.
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
    private final Set<String> consumers = ConcurrentHashMap.newKeySet();
    private final Disposable heartbeat;

    RedisQueue(RedisReactiveProcsync rx, String name, Codec<T> codec, QueueBound bound, boolean joinable) {
        super(rx, "queue", name);
        this.codec = codec;
        this.maxMessages = bound.isDefault() ? DEFAULT_MESSAGES : bound.maxMessages();
        this.maxBytes = bound.maxBytes() == 0 ? DEFAULT_MESSAGE_BYTES : bound.maxBytes();
        this.joinable = joinable;
        long leaseMs = lease().toMillis();
        this.heartbeat = Flux.interval(Duration.ofMillis(Math.max(1, leaseMs / 3)), timer())
                .onBackpressureDrop()
                .concatMap(t -> renew(leaseMs), 1)
                .subscribe(v -> { }, e -> { });
    }

    private Mono<Long> renew(long leaseMs) {
        if (consumers.isEmpty()) {
            return Mono.empty();
        }
        List<Object> args = new ArrayList<>();
        args.add(bytes(Long.toString(leaseMs)));
        for (String id : consumers) {
            args.add(bytes(id));
        }
        // A renewal that fails is retried at the next beat; the lease outlasts two missed beats.
        return this.<Long>bytesEval(RENEW, RScript.ReturnType.LONG, List.of(key(":consumers")), args.toArray())
                .onErrorResume(e -> Mono.empty());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private <R> Mono<R> bytesEval(String lua, RScript.ReturnType type, List<Object> keys, Object... args) {
        return rx.client().getScript(ByteArrayCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, lua, type, keys, args);
    }

    private String inflight(String consumer) {
        return key(":inflight:") + consumer;
    }

    final String roomChannel() {
        return channel() + ":room";
    }

    private String joinChannel() {
        return channel() + ":join";
    }

    /** A new consumer id, renewed by this handle until {@link #retire} forgets it. */
    String newConsumer() {
        String id = rx.clientId() + ":" + rx.nextOwner();
        consumers.add(id);
        return id;
    }

    /**
     * One take by {@code consumer}: sweeps expired consumers, acknowledges {@code ack} (if any),
     * renews the lease and moves the head item to the consumer's in-flight list.
     */
    Mono<Optional<byte[]>> take(String consumer, byte @Nullable [] ack) {
        return this.<byte[]>bytesEval(TAKE, RScript.ReturnType.VALUE,
                List.of(key(":items"), key(":consumers"), roomChannel(), channel()),
                bytes(key(":inflight:")), bytes(consumer), bytes(Long.toString(lease().toMillis())),
                bytes(ack == null ? "0" : "1"), ack == null ? new byte[0] : ack)
                .map(Optional::of).defaultIfEmpty(Optional.empty());
    }

    /** Acknowledges one delivered item of {@code consumer}. */
    Mono<Long> ack(String consumer, byte[] item) {
        return bytesEval(ACK, RScript.ReturnType.LONG, List.of(inflight(consumer)), (Object) item);
    }

    /**
     * Ends {@code consumer}: acknowledges {@code ack} (if any) and gives whatever else is in flight
     * back to the head of the queue. Sent, not awaited: if it fails, the lease (no longer renewed)
     * gives the items back instead.
     */
    void retire(String consumer, byte @Nullable [] ack) {
        consumers.remove(consumer);
        bytesEval(RETIRE, RScript.ReturnType.LONG,
                List.of(key(":items"), key(":consumers"), channel(), inflight(consumer)),
                bytes(consumer), bytes(ack == null ? "0" : "1"), ack == null ? new byte[0] : ack)
                .subscribe(v -> { }, e -> { });
    }

    T decode(byte[] raw) {
        return codec.decode(ByteBuffer.wrap(raw).asReadOnlyBuffer());
    }

    private byte[] encode(T item) {
        byte[] encoded = codec.encode(item);
        if (encoded.length > maxBytes) {
            throw new IllegalArgumentException("message of " + encoded.length + " bytes exceeds the bound of " + this
                    + ": " + maxBytes + " bytes");
        }
        return encoded;
    }

    private Mono<Boolean> attemptPut(byte[] encoded) {
        return this.<Long>bytesEval(PUT, RScript.ReturnType.LONG, List.of(key(":items"), key(":unfinished"), channel()),
                encoded, bytes(Long.toString(maxMessages)), bytes(joinable ? "1" : "0")).flatMap(v ->
                v == 1L ? Mono.just(true) : Mono.empty());
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
            return Waits.until(this, roomChannel(), () -> attemptPut(encoded), v -> { }).then();
        });
    }

    @Override
    public Mono<T> poll() {
        return Flux.defer(() -> {
            checkOpen();
            return new RedisQueueReceiver<>(this, true);
        }).next();
    }

    @Override
    public Mono<T> take() {
        return receive().take(1, true).next();
    }

    /** Puts each item once the previous one is in: the source is asked for one item at a time. */
    @Override
    public Mono<Void> send(Publisher<? extends T> items) {
        return Flux.from(items).concatMap(this::put, 0).then();
    }

    @Override
    public Flux<T> receive() {
        return Flux.defer(() -> {
            checkOpen();
            return new RedisQueueReceiver<>(this, false);
        });
    }

    @Override
    public Mono<Void> taskDone() {
        return Mono.defer(() -> {
            checkOpen();
            return this.<Long>eval(TASK_DONE, RScript.ReturnType.LONG, List.of(key(":unfinished"), joinChannel()))
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
        return Waits.until(this, joinChannel(), this::attemptJoin, v -> { }).then();
    }

    @Override
    public Mono<Void> join(Duration timeout) {
        return Waits.until(this, joinChannel(), this::attemptJoin, v -> { }, timeout).then();
    }

    /**
     * Closes the handle: pending puts, takes and joins error with {@link RedisClosedException}, each
     * consumer gives its in-flight items back (sent, not awaited), and the leases are no longer renewed.
     */
    @Override
    public void close() {
        super.close();
        heartbeat.dispose();
    }
}
