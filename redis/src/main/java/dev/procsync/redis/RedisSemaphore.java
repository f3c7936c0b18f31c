package dev.procsync.redis;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveBoundedSemaphore;
import dev.procsync.reactive.ReactiveSemaphore;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Publisher;
import org.redisson.api.RPermitExpirableSemaphoreReactive;
import org.redisson.api.RScript;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link ReactiveSemaphore} (and, with a bound, {@link ReactiveBoundedSemaphore}) over Redisson's
 * {@code RPermitExpirableSemaphore}: every permit taken is leased to its holder, and this client
 * renews the lease every third of it while the permit is held. A dead or cut-off client's permits
 * come back when their lease expires (shared memory loses them). Waiters are woken by a publish
 * after each release, and at the poll interval for expired leases.
 *
 * <p>The bound of a bounded semaphore is checked before {@link #release(int)} adds permits: the
 * check (permits available now plus those released must not exceed the bound) and the add are two
 * commands, so two releases racing past the bound may both pass (the
 * shared-memory one is exact). Permits given back through a {@link Permit} never exceed it.
 */
class RedisSemaphore extends Handle implements ReactiveBoundedSemaphore {
    private static final String INIT = "redis.call('SETNX', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])";

    private final RPermitExpirableSemaphoreReactive semaphore;
    private final int bound;
    private final boolean bounded;

    RedisSemaphore(RedisReactiveProcsync rx, String name, int permits, boolean bounded) {
        super(rx, bounded ? "bsem" : "sem", name);
        if (permits < 0 || bounded && permits < 1) {
            throw new IllegalArgumentException("permits of " + name + " must be " + (bounded ? "at least 1" : ">= 0")
                    + ": " + permits);
        }
        this.semaphore = rx.client().getPermitExpirableSemaphore(key(""));
        this.bound = permits;
        this.bounded = bounded;
        String initial = this.<String>eval(INIT, RScript.ReturnType.VALUE, List.of(key(":initial")),
                Integer.toString(permits)).block(rx.commandTimeout());
        if (initial == null || Integer.parseInt(initial) != permits) {
            throw new IllegalArgumentException(this + " exists with " + initial + " initial permits, not " + permits);
        }
        semaphore.trySetPermits(permits).block(rx.commandTimeout());
    }

    private Mono<Permit> attempt() {
        return attempt(1);
    }

    /** Takes {@code permits} leased permits at once (or none), and renews their leases until released. */
    private Mono<Permit> attempt(int permits) {
        long leaseMs = lease().toMillis();
        Mono<List<String>> taken = permits == 1
                ? semaphore.tryAcquire(0, leaseMs, TimeUnit.MILLISECONDS).map(List::of)
                : semaphore.tryAcquire(permits, 0, leaseMs, TimeUnit.MILLISECONDS).filter(ids -> !ids.isEmpty());
        return taken.map(ids -> {
            Mono<Boolean> renew = Flux.fromIterable(ids)
                    .concatMap(id -> semaphore.updateLeaseTime(id, leaseMs, TimeUnit.MILLISECONDS))
                    .all(renewed -> renewed);
            Disposable renewal = Flux.interval(Duration.ofMillis(Math.max(1, leaseMs / 3)), timer())
                    .concatMap(t -> renew.onErrorReturn(true))
                    .takeWhile(renewed -> renewed)
                    .subscribe(v -> { }, e -> { });
            return new RedisPermit(toString(), false, renewal,
                    () -> semaphore.tryRelease(ids).then(wake()));
        });
    }

    private static int checkPermits(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits to acquire must be at least 1: " + permits);
        }
        return permits;
    }

    @Override
    public Mono<Permit> acquire(int permits) {
        checkPermits(permits);
        return Waits.until(this, channel(), () -> attempt(permits), this::undo);
    }

    @Override
    public Mono<Permit> acquire(int permits, Duration timeout) {
        checkPermits(permits);
        return Waits.until(this, channel(), () -> attempt(permits), this::undo, timeout);
    }

    @Override
    public Mono<Permit> tryAcquire(int permits) {
        checkPermits(permits);
        return Waits.once(this, () -> attempt(permits), this::undo);
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
    public Mono<Void> release(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits to release must be at least 1: " + permits);
        }
        return Mono.defer(() -> {
            checkOpen();
            Mono<Void> check = !bounded ? Mono.empty()
                    : semaphore.availablePermits().flatMap(available -> {
                        long after = (long) available + permits;
                        return after > bound ? Mono.<Void>error(new IllegalStateException("releasing " + permits
                                + " on "
                                + this + " would exceed its bound " + bound)) : Mono.empty();
                    });
            return check.then(semaphore.addPermits(permits)).then(wake());
        });
    }

    @Override
    public Mono<Integer> availablePermits() {
        return Mono.defer(semaphore::availablePermits);
    }

    @Override
    public int bound() {
        return bound;
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
