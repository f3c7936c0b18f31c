package dev.procsync.redis;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveCondition;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RScript;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;

/**
 * {@link ReactiveCondition} composed of a {@link RedisLock} of the same backend (a reentrant lock
 * owned by this handle, or a plain lock owned per permit) and three keys of its own: the waiters in
 * arrival order (a list), the waiters notified and not yet woken (a set), and each waiter's lease
 * (a hash of server-clock expiry times). Every change is one Lua script, atomic on the server.
 *
 * <p><b>Waiting.</b> {@link #await(Permit)} registers a waiter (pushes it on the list with a
 * lease), then gives the permit's lock up, then waits: on each message of the condition's wake
 * channel and at the backend's poll interval it asks the server whether it was notified, which
 * also renews its lease. Once notified (or timed out, or cancelled, or failed) it takes the lock
 * back for the same permit, as the same Redisson owner, and only then completes. The registration
 * and the release of the lock are sent when the {@code Mono} is subscribed; on a thread that may
 * block the subscription waits (boundedly) for the server to confirm both, so what the caller does
 * next sees the lock free, as on shared memory; on a Reactor non-blocking thread or a Netty event
 * loop they are only sent.
 *
 * <p><b>Signalling.</b> {@link #signal(int)} moves the {@code n} oldest live waiters from the list to
 * the notified set and publishes on the wake channel; {@link #signalAll()} moves every waiter
 * registered at that moment. A waiter that registers after the script ran is not notified by it.
 * Notification is FIFO by registration; taking the lock back afterwards is not fair (the first
 * try to reach the server wins, notified waiter or fresh acquirer).
 *
 * <p><b>Cancellation.</b> A cancelled wait (or one that errors, or one whose handle closes)
 * removes its waiter; a notification it had already been given is passed on to the oldest live
 * waiter. The lock is still taken back for the permit, in the background; a permit released
 * meanwhile gives it up as soon as it is back. A timed-out wait that finds itself notified
 * after all reports {@code true}.
 *
 * <p><b>When a client dies.</b> A waiter whose client dies (or is cut off from the server) stops
 * renewing its lease, {@code max(lease, 3 × poll)}: a later signal skips it, and a notification
 * it was given and never consumed is handed to the next live waiter by the next waiter's poll or
 * signal. A signal is one script: a signalling client that dies has either notified or not. A
 * client that dies holding the lock (or lent to a wait that dies) is handled by the lock's
 * watchdog lease: the lock frees itself, and the next holder's permit reports
 * {@code previousOwnerDied()}. A waiter cut off for longer than its lease that comes back finds
 * its registration gone and completes as a spurious wake-up (re-check the predicate).
 *
 * <p>Memory consistency effects: as for the lock; a signal's script runs before the notified
 * waiter's next poll sees it.
 */
final class RedisCondition extends Handle implements ReactiveCondition {
    /** Shared by every script: KEYS waiters (list), notified (set), leases (hash); ARGV[1] the wake channel. */
    private static final String PRELUDE = "local t = redis.call('TIME') "
            + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
            + "local function alive(w) local e = redis.call('HGET', KEYS[3], w) "
            + "  return e and tonumber(e) >= now end "
            // the n oldest live waiters become notified; dead ones met on the way are dropped
            + "local function wake(n) local woken = 0 "
            + "  while woken < n do local w = redis.call('LPOP', KEYS[1]) "
            + "    if not w then break end "
            + "    if alive(w) then redis.call('SADD', KEYS[2], w) woken = woken + 1 "
            + "    else redis.call('HDEL', KEYS[3], w) end end "
            + "  if woken > 0 then redis.call('PUBLISH', ARGV[1], '') end "
            + "  return woken end "
            // notifications given to waiters that died before consuming them
            + "local function reclaim() local lost = 0 "
            + "  for _, w in ipairs(redis.call('SMEMBERS', KEYS[2])) do "
            + "    if not alive(w) then redis.call('SREM', KEYS[2], w) redis.call('HDEL', KEYS[3], w) "
            + "      lost = lost + 1 end end "
            + "  return lost end ";
    /** ARGV waiter, lease ms. */
    private static final String REGISTER = PRELUDE + "redis.call('RPUSH', KEYS[1], ARGV[2]) "
            + "redis.call('HSET', KEYS[3], ARGV[2], string.format('%.0f', now + tonumber(ARGV[3]))) return 1";
    /** ARGV waiter, lease ms: 1 notified, 2 registration lost (a spurious wake-up), 0 still waiting. */
    private static final String CONSUME = PRELUDE
            + "if redis.call('SREM', KEYS[2], ARGV[2]) == 1 then redis.call('HDEL', KEYS[3], ARGV[2]) return 1 end "
            + "if redis.call('HEXISTS', KEYS[3], ARGV[2]) == 0 then return 2 end "
            + "redis.call('HSET', KEYS[3], ARGV[2], string.format('%.0f', now + tonumber(ARGV[3]))) "
            + "local lost = reclaim() if lost > 0 then wake(lost) end return 0";
    /** ARGV waiter: 1 if it had been notified (the caller passes that on or uses it). */
    private static final String ABANDON = "redis.call('LREM', KEYS[1], 0, ARGV[2]) "
            + "local was = redis.call('SREM', KEYS[2], ARGV[2]) redis.call('HDEL', KEYS[3], ARGV[2]) return was";
    /** ARGV n (negative: every registered waiter): how many were notified. */
    private static final String SIGNAL = PRELUDE + "local n = tonumber(ARGV[2]) "
            + "if n < 0 then n = redis.call('LLEN', KEYS[1]) end return wake(n + reclaim())";

    private final RedisLock lock;

    RedisCondition(RedisReactiveProcsync rx, String name, RedisLock lock) {
        super(rx, "cond", name);
        this.lock = lock;
    }

    private List<Object> keys() {
        return List.of(key(":waiters"), key(":notified"), key(":leases"));
    }

    /** A waiter's lease: renewed at every poll, so never shorter than a few polls. */
    private long waiterLeaseMs() {
        return Math.max(lease().toMillis(), 3 * pollInterval().toMillis());
    }

    private Supplier<Mono<Permit>> attempt() {
        return () -> lock.tryHold().map(hold -> new RedisConditionPermit(this, lock, hold));
    }

    /** Gives back a permit nobody will receive. */
    private void undo(Permit permit) {
        permit.close();
    }

    @Override
    public Mono<Permit> acquire() {
        return Waits.until(this, lock.channel(), attempt(), this::undo);
    }

    @Override
    public Mono<Permit> acquire(Duration timeout) {
        return Waits.until(this, lock.channel(), attempt(), this::undo, timeout);
    }

    @Override
    public Mono<Permit> tryAcquire() {
        return Waits.once(this, attempt(), this::undo);
    }

    @Override
    public Mono<Void> await(Permit permit) {
        return await0(permit, null).then();
    }

    @Override
    public Mono<Boolean> await(Permit permit, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return await0(permit, timeout);
    }

    private Mono<Boolean> await0(Permit permit, @Nullable Duration timeout) {
        return Mono.defer(() -> {
            checkOpen();
            if (!(permit instanceof RedisConditionPermit held) || held.condition() != this) {
                return Mono.error(new IllegalArgumentException("not a permit of " + this + ": " + permit));
            }
            if (lock.reentrant() && lock.holds() != 1) {
                return Mono.error(new IllegalStateException("a wait on " + this + " needs its lock held exactly "
                        + "once, not " + lock.holds() + " times"));
            }
            held.lend();
            String waiter = rx.clientId() + ":" + rx.nextOwner();
            // Registered before the lock is given up: a signal sent once the lock is free reaches us.
            Mono<Void> givenUp = this.<Long>eval(REGISTER, RScript.ReturnType.LONG, keys(), channel(), waiter,
                    Long.toString(waiterLeaseMs())).then(lock.release(held.hold())).cache();
            RedisPermit.confirm(givenUp); // sent now, whatever the subscriber does next
            Sinks.Empty<Void> back = Sinks.empty();
            return givenUp.then(notified(waiter, timeout))
                    .doFinally(signal -> end(signal, waiter, held, givenUp, back))
                    .flatMap(n -> back.asMono().thenReturn(n));
        });
    }

    /** Waits to be notified: {@code true}, or {@code false} on timeout (unless notified meanwhile). */
    private Mono<Boolean> notified(String waiter, @Nullable Duration timeout) {
        Supplier<Mono<Long>> attempt = () -> this.<Long>eval(CONSUME, RScript.ReturnType.LONG, keys(), channel(),
                waiter, Long.toString(waiterLeaseMs())).filter(code -> code != 0L);
        Mono<Long> woken = timeout == null
                ? Waits.until(this, channel(), attempt, this::passOnIfNotified)
                : Waits.until(this, channel(), attempt, this::passOnIfNotified, timeout);
        return woken.map(code -> true)
                .onErrorResume(TimeoutException.class, e -> abandon(waiter).map(was -> was == 1L));
    }

    /**
     * The end of a wait, however it ended: a wait that did not complete normally removes its
     * waiter and passes on a notification it had; then the lock is taken back for the permit.
     * Nothing here is cancellable by the subscriber.
     */
    private void end(SignalType signal, String waiter, RedisConditionPermit held, Mono<Void> givenUp,
            Sinks.Empty<Void> back) {
        givenUp.subscribe(v -> { }, error -> {
            // The wait never started: the permit holds the lock as before (or gives it up if released).
            held.back().subscribe(v -> { }, e -> back.tryEmitEmpty(), back::tryEmitEmpty);
        }, () -> {
            Mono<Void> cleanup = signal == SignalType.ON_COMPLETE ? Mono.empty()
                    : abandon(waiter).flatMap(was -> was == 1L ? passOn() : Mono.<Void>empty())
                            .onErrorResume(e -> Mono.empty());
            Mono<RedisLock.Hold> takeBack = Waits.until(lock, lock.channel(), () -> lock.tryHold(held.hold().owner()),
                    hold -> lock.release(hold).subscribe(v -> { }, e -> { }));
            cleanup.then(takeBack).flatMap(hold -> held.back()).subscribe(v -> { }, e -> {
                held.lost();
                back.tryEmitError(e);
            }, back::tryEmitEmpty);
        });
    }

    private Mono<Long> abandon(String waiter) {
        return eval(ABANDON, RScript.ReturnType.LONG, keys(), channel(), waiter);
    }

    private Mono<Void> passOn() {
        return this.<Long>eval(SIGNAL, RScript.ReturnType.LONG, keys(), channel(), "1").then();
    }

    /** A notification consumed for a wait that was cancelled before it could see it goes on. */
    private void passOnIfNotified(long code) {
        if (code == 1L) {
            passOn().subscribe(v -> { }, e -> { });
        }
    }

    @Override
    public Mono<Void> signal(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("signal of " + this + " needs n >= 1: " + n);
        }
        return Mono.defer(() -> {
            checkOpen();
            return this.<Long>eval(SIGNAL, RScript.ReturnType.LONG, keys(), channel(), Integer.toString(n)).then();
        });
    }

    @Override
    public Mono<Void> signalAll() {
        return Mono.defer(() -> {
            checkOpen();
            return this.<Long>eval(SIGNAL, RScript.ReturnType.LONG, keys(), channel(), "-1").then();
        });
    }

    /** Closes this handle and its lock handle: pending waits and acquires through them error. */
    @Override
    public void close() {
        super.close();
        lock.close();
    }
}
