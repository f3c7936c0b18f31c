package dev.procsync.redis;

import dev.procsync.codec.Codec;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveBarrier;
import dev.procsync.reactive.ReactiveBoundedSemaphore;
import dev.procsync.reactive.ReactiveCondition;
import dev.procsync.reactive.ReactiveConnection;
import dev.procsync.reactive.ReactiveEvent;
import dev.procsync.reactive.ReactiveJoinableQueue;
import dev.procsync.reactive.ReactiveLock;
import dev.procsync.reactive.ReactiveProcsync;
import dev.procsync.reactive.ReactiveQueue;
import dev.procsync.reactive.ReactiveRLock;
import dev.procsync.reactive.ReactiveSemaphore;
import dev.procsync.reactive.ReactiveValue;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.api.RedissonReactiveClient;
import org.redisson.config.Config;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The Redis backend of {@link ReactiveProcsync}: the primitives of one namespace (a key prefix) of a
 * Redis server, for clients on any hosts. Build it over a {@code RedissonReactiveClient} the
 * application already has ({@link #of(RedissonReactiveClient, String)}), or from a URL
 * ({@link #connect(String, String, Duration)}), which owns its client and shuts it down on
 * {@link #close()}.
 *
 * <p>A participant is one instance of this class: locks are owned per permit (never per thread),
 * and its leases (lock watchdog, semaphore permits, queue consumer) are what tell the others it is
 * alive. The lock lease is Redisson's {@code lockWatchdogTimeout}; the others use
 * {@link #lease()}, the same value by default. Waits re-check at {@link #poll()} besides being
 * woken by pub/sub. Conditions and barriers are compositions of a lock or a few keys with Lua
 * scripts, each documented with its failure behaviour; a waiting condition or barrier party renews
 * a lease of its own at every poll, so a dead client's waiter is skipped and a dead party breaks
 * its barrier's round. Pipes are not provided ({@link UnsupportedOperationException}): they stay
 * shared-memory only; use a queue.
 */
public final class RedisReactiveProcsync implements ReactiveProcsync, AutoCloseable {
    private static final Duration DEFAULT_POLL = Duration.ofMillis(100);

    private final RedissonReactiveClient client;
    private final String namespace;
    private final Supplier<Scheduler> scheduler;
    private final Duration lease;
    private final Duration poll;
    private final @Nullable Runnable shutdown;
    private final String clientId = UUID.randomUUID().toString();
    private final AtomicLong owners = new AtomicLong(1);
    private final Wakeups wakeups;

    private RedisReactiveProcsync(RedissonReactiveClient client, String namespace, @Nullable Scheduler scheduler,
            Duration lease, Duration poll, @Nullable Runnable shutdown) {
        this.client = Objects.requireNonNull(client, "client");
        if (namespace.isEmpty() || namespace.indexOf(':') >= 0 || namespace.indexOf('{') >= 0) {
            throw new IllegalArgumentException("namespace must be non-empty, without ':' or braces: '" + namespace
                    + "'");
        }
        if (lease.isNegative() || lease.isZero() || poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("lease and poll must be positive: " + lease + ", " + poll);
        }
        this.namespace = namespace;
        this.scheduler = scheduler == null ? Schedulers::parallel : () -> scheduler;
        this.lease = lease;
        this.poll = poll;
        this.shutdown = shutdown;
        this.wakeups = new Wakeups(client, namespace, commandTimeout());
    }

    /**
     * The backend over an existing client, with leases of the client's {@code lockWatchdogTimeout}
     * and completions on {@link Schedulers#parallel()}. Closing it leaves the client open.
     *
     * @param client    the application's Redisson client
     * @param namespace the key prefix of every object (no ':' or braces)
     * @return the backend
     */
    public static RedisReactiveProcsync of(RedissonReactiveClient client, String namespace) {
        Duration lease = Duration.ofMillis(client.getConfig().getLockWatchdogTimeout());
        return new RedisReactiveProcsync(client, namespace, null, lease, DEFAULT_POLL, null);
    }

    /**
     * The backend over an existing client, completing on {@code scheduler}.
     *
     * @param client    the application's Redisson client
     * @param namespace the key prefix of every object
     * @param scheduler where completions of waits (and timeouts) run
     * @param poll      how often a pending wait re-checks besides being woken
     * @return the backend
     */
    public static RedisReactiveProcsync of(RedissonReactiveClient client, String namespace, Scheduler scheduler,
            Duration poll) {
        Duration lease = Duration.ofMillis(client.getConfig().getLockWatchdogTimeout());
        return new RedisReactiveProcsync(client, namespace, Objects.requireNonNull(scheduler, "scheduler"), lease,
                poll, null);
    }

    /**
     * The backend over an existing client, completing on {@code scheduler}, with a lease of its own
     * for what is not a lock.
     *
     * @param client    the application's Redisson client
     * @param namespace the key prefix of every object
     * @param scheduler where completions of waits (and timeouts) run
     * @param poll      how often a pending wait re-checks besides being woken
     * @param lease     how long a dead or cut-off participant's semaphore permits, queue items in
     *                  flight and pending waits stay with it (renewed every third of it while
     *                  alive); locks keep the client's {@code lockWatchdogTimeout}
     * @return the backend
     */
    public static RedisReactiveProcsync of(RedissonReactiveClient client, String namespace, Scheduler scheduler,
            Duration poll, Duration lease) {
        return new RedisReactiveProcsync(client, namespace, Objects.requireNonNull(scheduler, "scheduler"),
                Objects.requireNonNull(lease, "lease"), poll, null);
    }

    /**
     * Connects to a single Redis server and builds the backend over a client it owns.
     *
     * @param url       e.g. {@code redis://127.0.0.1:6379}
     * @param namespace the key prefix of every object
     * @param lease     how long a dead or cut-off participant's locks, permits and taken items stay
     *                  with it (renewed every third of it while alive)
     * @return the backend; {@link #close()} shuts the client down
     */
    public static RedisReactiveProcsync connect(String url, String namespace, Duration lease) {
        Config config = new Config();
        config.setLockWatchdogTimeout(lease.toMillis());
        config.useSingleServer().setAddress(url).setRetryAttempts(3).setTimeout(3000);
        RedissonClient client = Redisson.create(config);
        try {
            return new RedisReactiveProcsync(client.reactive(), namespace, null, lease, DEFAULT_POLL, client::shutdown);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    RedissonReactiveClient client() {
        return client;
    }

    Wakeups wakeups() {
        return wakeups;
    }

    Scheduler scheduler() {
        return scheduler.get();
    }

    Scheduler timer() {
        return Schedulers.parallel();
    }

    /** How long a participant's leases last without renewal. */
    public Duration lease() {
        return lease;
    }

    /** How often a pending wait re-checks besides being woken. */
    public Duration poll() {
        return poll;
    }

    Duration commandTimeout() {
        return Duration.ofSeconds(30);
    }

    String clientId() {
        return clientId;
    }

    long nextOwner() {
        return owners.getAndIncrement();
    }

    @Override
    public String name() {
        return namespace;
    }

    @Override
    public ReactiveLock lock(String name) {
        return new RedisLock(this, name, false);
    }

    @Override
    public ReactiveRLock rlock(String name) {
        return new RedisLock(this, name, true);
    }

    @Override
    public ReactiveSemaphore semaphore(String name, int permits) {
        return new RedisSemaphore(this, name, permits, false);
    }

    @Override
    public ReactiveBoundedSemaphore boundedSemaphore(String name, int permits) {
        return new RedisSemaphore(this, name, permits, true);
    }

    @Override
    public ReactiveEvent event(String name) {
        return new RedisEvent(this, name);
    }

    @Override
    public ReactiveBarrier barrier(String name, int parties) {
        return new RedisBarrier(this, name, parties);
    }

    @Override
    public ReactiveCondition condition(String name) {
        return new RedisCondition(this, name, new RedisLock(this, name + "~lock", true));
    }

    @Override
    public ReactiveCondition condition(String name, String lockName) {
        return new RedisCondition(this, name, new RedisLock(this, lockName, false));
    }

    @Override
    public <T> ReactiveQueue<T> queue(String name, Codec<T> codec, QueueBound bound) {
        return new RedisQueue<>(this, name, codec, bound, false);
    }

    @Override
    public <T> ReactiveQueue<T> simpleQueue(String name, Codec<T> codec) {
        return new RedisQueue<>(this, name, codec, QueueBound.of(Integer.MAX_VALUE, RedisQueue.DEFAULT_MESSAGE_BYTES),
                false);
    }

    @Override
    public <T> ReactiveJoinableQueue<T> joinableQueue(String name, Codec<T> codec, QueueBound bound) {
        return new RedisQueue<>(this, name, codec, bound, true);
    }

    @Override
    public ReactiveValue<Integer> intValue(String name) {
        return new RedisValue<>(this, name, "int", Integer::longValue, Long::intValue);
    }

    @Override
    public ReactiveValue<Long> longValue(String name) {
        return new RedisValue<>(this, name, "long", v -> v, v -> v);
    }

    @Override
    public ReactiveValue<Double> doubleValue(String name) {
        return new RedisValue<>(this, name, "double", Double::doubleToRawLongBits, Double::longBitsToDouble);
    }

    @Override
    public ReactiveValue<Boolean> booleanValue(String name) {
        return new RedisValue<>(this, name, "boolean", v -> v ? 1L : 0L, v -> v != 0L);
    }

    @Override
    public <T> ReactiveConnection<T> connection(String name, boolean first, boolean duplex, Codec<T> codec) {
        throw new UnsupportedOperationException("pipes are not provided by the Redis backend (use a queue): " + name);
    }

    @Override
    public <T> ReactiveConnection<T> connection(String name, boolean first, boolean duplex, int capacity,
            Codec<T> codec) {
        throw new UnsupportedOperationException("pipes are not provided by the Redis backend (use a queue): " + name);
    }

    /** Stops listening for wake-ups, and shuts the client down if {@link #connect} made it. */
    @Override
    public void close() {
        wakeups.close();
        if (shutdown != null) {
            shutdown.run();
        }
    }

    @Override
    public String toString() {
        return "RedisReactiveProcsync[" + namespace + "]";
    }
}
