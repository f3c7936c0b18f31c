package dev.procsync.redis;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveLock;
import dev.procsync.reactive.ReactiveRLock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import org.redisson.api.RLockReactive;
import org.redisson.api.RScript;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link ReactiveLock} and {@link ReactiveRLock} over a Redisson lock. Redisson keys ownership by
 * its client id and a "thread id"; this class never passes a real thread id: a plain lock takes a
 * fresh id per acquire (so each permit is an owner, released from any thread), a reentrant lock one
 * id per handle (so the handle is the owner and its acquires nest).
 *
 * <p>No lease time is given, so Redisson's watchdog renews the lease while this JVM runs and
 * reaches the server; a dead or cut-off client's lock frees itself when the lease
 * ({@code lockWatchdogTimeout}) expires. Holder death is seen through a marker key: set to the
 * owner on acquire, deleted on a clean release before the unlock; an acquire that finds a marker
 * reports {@code previousOwnerDied()}. (A holder that dies between its acquire and setting the
 * marker, a single round trip, is not reported.) Waiters are woken by a publish after each unlock
 * and, for an expired lease (which publishes nothing), at the poll interval.
 */
final class RedisLock extends Handle implements ReactiveLock, ReactiveRLock {
    private static final String CLAIM = "local prev = redis.call('GET', KEYS[1]); "
            + "redis.call('SET', KEYS[1], ARGV[1]); "
            + "if prev and prev ~= ARGV[1] then return 1 end; return 0";
    private static final String DISOWN = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "redis.call('DEL', KEYS[1]) end; return 1";

    private final RLockReactive lock;
    private final boolean reentrant;
    private final long handleOwner;
    private final AtomicInteger holds = new AtomicInteger();

    RedisLock(RedisReactiveProcsync rx, String name, boolean reentrant) {
        super(rx, reentrant ? "rlock" : "lock", name);
        this.lock = rx.client().getLock(key(""));
        this.reentrant = reentrant;
        this.handleOwner = rx.nextOwner();
    }

    /**
     * One hold of the lock, as a condition lends and takes it back: the Redisson owner id, the owner
     * marker's tag, and whether the hold was taken over from a holder whose lease expired.
     */
    record Hold(long owner, String tag, boolean previousOwnerDied) {
    }

    /** One try as a fresh owner (a plain lock) or as the handle (a reentrant lock). */
    Mono<Hold> tryHold() {
        return tryHold(reentrant ? handleOwner : rx.nextOwner());
    }

    /** One try as {@code owner}: what a condition's wait does to take its permit's lock back. */
    Mono<Hold> tryHold(long owner) {
        String tag = rx.clientId() + ":" + owner;
        return lock.tryLock(0, -1, TimeUnit.MILLISECONDS, owner).flatMap(got -> {
            if (!got) {
                return Mono.empty();
            }
            boolean first = holds.getAndIncrement() == 0 || !reentrant;
            Mono<Boolean> died = first
                    ? this.<Long>eval(CLAIM, RScript.ReturnType.LONG, List.of(key(":owner")), tag).map(v -> v == 1L)
                    : Mono.just(false);
            return died.map(d -> new Hold(owner, tag, d));
        });
    }

    /** Gives one hold back: a clean release (the owner marker goes first), then a wake-up. */
    Mono<Void> release(Hold hold) {
        return giveBack(hold.owner(), hold.tag());
    }

    /** Whether this is a reentrant lock, owned by the handle. */
    boolean reentrant() {
        return reentrant;
    }

    /** How many holds this handle has (for a reentrant lock, those of its one owner). */
    int holds() {
        return holds.get();
    }

    private Mono<Permit> attempt() {
        return tryHold().map(hold -> new RedisPermit(toString(), hold.previousOwnerDied(), Disposables.disposed(),
                () -> release(hold)));
    }

    private Mono<Void> giveBack(long owner, String tag) {
        boolean last = !reentrant || holds.decrementAndGet() == 0;
        Mono<Void> disown = last ? eval(DISOWN, RScript.ReturnType.LONG, List.of(key(":owner")), tag).then()
                : Mono.empty();
        // A lease that expired under us (cut off) makes the unlock fail: the lock is no longer ours.
        return disown.then(lock.unlock(owner).onErrorResume(IllegalMonitorStateException.class, e -> Mono.empty()))
                .then(wake());
    }

    /** Gives back a permit nobody will receive ({@link RedisPermit#close()} never blocks a Netty thread). */
    private void undo(Permit permit) {
        permit.close();
    }

    @Override
    public Mono<Permit> acquire() {
        return Waits.until(this, channel(), this::attempt, this::undo);
    }

    @Override
    public Mono<Permit> acquire(Duration timeout) {
        return Waits.until(this, channel(), this::attempt, this::undo, timeout);
    }

    @Override
    public Mono<Permit> tryAcquire() {
        return Waits.once(this, this::attempt, this::undo);
    }

    @Override
    public Mono<Boolean> isLocked() {
        return Mono.defer(lock::isLocked);
    }

    @Override
    public Mono<Integer> holdCount() {
        return Mono.fromSupplier(holds::get);
    }

    /** As the default, but a cancel releases through {@link Permit#close()}: confirmed before the cancel returns. */
    @Override
    public <T> Mono<T> withPermit(Function<? super Permit, ? extends Mono<? extends T>> body) {
        return Mono.usingWhen(acquire(), body, Permit::release, (permit, error) -> permit.release(),
                permit -> Mono.fromRunnable(permit::close));
    }

    /** As the default, but a cancel releases through {@link Permit#close()}: confirmed before the cancel returns. */
    @Override
    public <T> Flux<T> withPermitMany(Function<? super Permit, ? extends Publisher<? extends T>> body) {
        return Flux.usingWhen(acquire(), body, Permit::release, (permit, error) -> permit.release(),
                permit -> Mono.fromRunnable(permit::close));
    }
}
