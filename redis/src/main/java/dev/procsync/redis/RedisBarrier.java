package dev.procsync.redis;

import dev.procsync.reactive.ReactiveBarrier;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RScript;
import reactor.core.publisher.Mono;

/**
 * {@link ReactiveBarrier} composed of three keys and Lua scripts (each atomic on the server): the
 * state (a hash: {@code parties}, {@code count} arrived in this round, {@code broken}), the pending
 * arrivals of the round (a hash of arrival → lease expiry on the server's clock), and the outcomes
 * not yet collected (a hash of arrival → {@code T} tripped or {@code B} broken).
 *
 * <p><b>A round.</b> An arrival takes the next index ({@code count}); the one that makes
 * {@code count == parties} trips the round: every pending arrival gets the outcome {@code T}, the
 * count starts again at 0 and the wake channel is published, all in that arrival's script. A
 * pending arrival collects its outcome on each wake message and at the backend's poll interval,
 * which also renews its lease. Breaking (a timeout, a cancel, {@link #abort()}) gives every pending
 * arrival {@code B} and sets {@code broken}, so later arrivals error at once; {@link #reset()} gives
 * pending arrivals {@code B} and starts a fresh, unbroken round.
 *
 * <p><b>When a party's client dies.</b> A pending arrival whose client dies (or is cut off from the
 * server) stops renewing its lease, {@code max(lease, 3 × poll)}. The next poll of any other pending
 * arrival, or the next arrival, that finds an expired lease breaks the round: the others error with
 * {@link BrokenBarrierException} within about the lease, instead of waiting for a party that
 * will never come. A party cut off for longer than its lease that comes back finds the round broken.
 * An arrival cannot be taken back, so a cancelled, timed-out or closed pending arrival breaks the
 * round, as a timed-out Python {@code wait()} does; one that had tripped already breaks nothing
 * (a timed-out arrival whose round tripped meanwhile completes with its index).
 *
 * <p>Memory consistency effects: every arrival's script runs on the one server before the
 * tripping one, and each waiter sees its outcome only after that: writes a party made (and had
 * confirmed) before arriving happen-before the completion of every arrival of the round.
 */
final class RedisBarrier extends Handle implements ReactiveBarrier {
    /** Shared by every script: KEYS state, pending, outcomes; ARGV[1] the wake channel. */
    private static final String PRELUDE = "local t = redis.call('TIME') "
            + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
            // ends the round for every pending arrival with outcome o
            + "local function settle(o) "
            + "  for _, a in ipairs(redis.call('HKEYS', KEYS[2])) do "
            + "    redis.call('HSET', KEYS[3], a, o .. ':' .. string.format('%.0f', now)) end "
            + "  redis.call('DEL', KEYS[2]) redis.call('HSET', KEYS[1], 'count', 0) "
            + "  redis.call('PUBLISH', ARGV[1], '') end "
            + "local function breakIt() settle('B') redis.call('HSET', KEYS[1], 'broken', 1) end "
            // a pending arrival whose lease expired (its client died or was cut off) breaks the round
            + "local function breakIfDead() local p = redis.call('HGETALL', KEYS[2]) "
            + "  for i = 2, #p, 2 do if tonumber(p[i]) < now then breakIt() return true end end "
            + "  return false end "
            // an uncollected outcome is its arrival's: 1 tripped, 2 broken, 0 none
            + "local function collect(a) local o = redis.call('HGET', KEYS[3], a) "
            + "  if not o then return 0 end redis.call('HDEL', KEYS[3], a) "
            + "  if string.sub(o, 1, 1) == 'T' then return 1 end return 2 end ";
    /** ARGV parties: the parties the barrier has (set by its first opener). */
    private static final String INIT = "redis.call('HSETNX', KEYS[1], 'parties', ARGV[1]) "
            + "return tonumber(redis.call('HGET', KEYS[1], 'parties'))";
    /**
     * ARGV arrival, lease ms, parties: {index, 1} tripped by this arrival, {index, 0} pending,
     * {-1, 0} broken. Outcomes left by dead arrivals are dropped after a few leases.
     */
    private static final String ARRIVE = PRELUDE
            + "local o = redis.call('HGETALL', KEYS[3]) "
            + "for i = 2, #o, 2 do if tonumber(string.sub(o[i], 3)) < now - 4 * tonumber(ARGV[3]) then "
            + "  redis.call('HDEL', KEYS[3], o[i - 1]) end end "
            + "if redis.call('HGET', KEYS[1], 'broken') == '1' or breakIfDead() then return {-1, 0} end "
            + "local index = redis.call('HINCRBY', KEYS[1], 'count', 1) - 1 "
            + "if index + 1 >= tonumber(ARGV[4]) then settle('T') return {index, 1} end "
            + "redis.call('HSET', KEYS[2], ARGV[2], string.format('%.0f', now + tonumber(ARGV[3]))) "
            + "return {index, 0}";
    /** ARGV arrival, lease ms: 1 tripped, 2 broken, 0 pending (lease renewed). */
    private static final String CHECK = PRELUDE
            + "local c = collect(ARGV[2]) if c ~= 0 then return c end "
            + "if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 0 then return 2 end "
            + "if breakIfDead() then collect(ARGV[2]) return 2 end "
            + "redis.call('HSET', KEYS[2], ARGV[2], string.format('%.0f', now + tonumber(ARGV[3]))) return 0";
    /** ARGV arrival: 1 tripped meanwhile, 2 broken already, 3 broken by this, 0 unknown (collected). */
    private static final String GIVE_UP = PRELUDE
            + "local c = collect(ARGV[2]) if c ~= 0 then return c end "
            + "if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then breakIt() collect(ARGV[2]) return 3 end "
            + "return 0";
    private static final String ABORT = PRELUDE + "breakIt() return 1";
    private static final String RESET = PRELUDE + "settle('B') redis.call('HSET', KEYS[1], 'broken', 0) return 1";

    private final int parties;

    RedisBarrier(RedisReactiveProcsync rx, String name, int parties) {
        super(rx, "barrier", name);
        if (parties < 1) {
            throw new IllegalArgumentException("parties of barrier " + name + " must be at least 1: " + parties);
        }
        this.parties = parties;
        Long existing = this.<Long>eval(INIT, RScript.ReturnType.LONG, List.of(key("")), Integer.toString(parties))
                .block(rx.commandTimeout());
        if (existing == null || existing != parties) {
            throw new IllegalArgumentException(this + " exists with " + existing + " parties, not " + parties);
        }
    }

    private List<Object> keys() {
        return List.of(key(""), key(":pending"), key(":outcomes"));
    }

    /** A pending arrival's lease: renewed at every poll, so never shorter than a few polls. */
    private String leaseMs() {
        return Long.toString(Math.max(lease().toMillis(), 3 * pollInterval().toMillis()));
    }

    @Override
    public int parties() {
        return parties;
    }

    @Override
    public Mono<Integer> arrive() {
        return arrive0(null);
    }

    @Override
    public Mono<Integer> arrive(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return arrive0(timeout);
    }

    private Mono<Integer> arrive0(@Nullable Duration timeout) {
        return Mono.defer(() -> {
            checkOpen();
            Arrival arrival = new Arrival(rx.clientId() + ":" + rx.nextOwner());
            if (timeout == null) {
                return arrival.outcome();
            }
            if (timeout.isZero() || timeout.isNegative()) {
                return arrival.arrived.flatMap(index -> index.tripped()
                        ? Mono.just(index.index()) : arrival.timedOut(timeout));
            }
            return arrival.outcome().timeout(timeout, Mono.defer(() -> arrival.timedOut(timeout)), timer());
        });
    }

    private static BrokenBarrierException broken(String what) {
        return new BrokenBarrierException(what);
    }

    @Override
    public Mono<Void> abort() {
        return Mono.defer(() -> {
            checkOpen();
            return this.<Long>eval(ABORT, RScript.ReturnType.LONG, keys(), channel()).then();
        });
    }

    @Override
    public Mono<Void> reset() {
        return Mono.defer(() -> {
            checkOpen();
            return this.<Long>eval(RESET, RScript.ReturnType.LONG, keys(), channel()).then();
        });
    }

    /** What the arrival script answered: the index, and whether this arrival tripped the round. */
    private record Index(int index, boolean tripped) {
    }

    /** One subscription's arrival: sent at subscription and never taken back, only broken. */
    private final class Arrival {
        private final String id;
        private final Mono<Index> arrived;
        private @Nullable Mono<Long> givenUp;

        Arrival(String id) {
            this.id = id;
            this.arrived = RedisBarrier.this.<List<Long>>eval(ARRIVE, RScript.ReturnType.LIST, keys(), channel(), id,
                    leaseMs(), Integer.toString(parties)).flatMap(r -> r.get(0) < 0
                            ? Mono.<Index>error(broken(RedisBarrier.this + " is broken"))
                            : Mono.just(new Index(r.get(0).intValue(), r.get(1) == 1L))).cache();
            arrived.subscribe(v -> { }, e -> { }); // counted whatever the subscriber does next
        }

        /** The arrival's index once its round trips; a wait that ends otherwise breaks the round. */
        Mono<Integer> outcome() {
            return arrived.flatMap(index -> index.tripped() ? Mono.just(index.index())
                    : Waits.until(RedisBarrier.this, channel(), this::check, c -> { })
                            .flatMap(c -> c == 1L ? Mono.just(index.index())
                                    : Mono.error(broken(RedisBarrier.this + " was broken while waiting"))))
                    .doOnCancel(() -> giveUp().subscribe(v -> { }, e -> { }))
                    .doOnError(e -> !(e instanceof BrokenBarrierException),
                            e -> giveUp().subscribe(v -> { }, x -> { }));
        }

        /** One poll: the outcome if there is one (1 tripped, 2 broken), else empty; renews the lease. */
        private Mono<Long> check() {
            return RedisBarrier.this.<Long>eval(CHECK, RScript.ReturnType.LONG, keys(), channel(), id, leaseMs())
                    .filter(c -> c != 0L);
        }

        /** Breaks the round if this arrival is still pending in it (once): 1 if it had tripped. */
        synchronized Mono<Long> giveUp() {
            Mono<Long> g = givenUp;
            if (g == null) {
                g = arrived.onErrorResume(e -> Mono.empty()).flatMap(index -> index.tripped() ? Mono.just(1L)
                        : RedisBarrier.this.<Long>eval(GIVE_UP, RScript.ReturnType.LONG, keys(), channel(), id))
                        .cache();
                givenUp = g;
            }
            return g;
        }

        /** A timeout: breaks the round (unless it tripped meanwhile), then errors. */
        Mono<Integer> timedOut(Duration timeout) {
            return arrived.flatMap(index -> giveUp().flatMap(c -> c == 1L ? Mono.just(index.index())
                    : Mono.error(new TimeoutException("waited " + timeout + " at " + RedisBarrier.this))));
        }
    }
}
