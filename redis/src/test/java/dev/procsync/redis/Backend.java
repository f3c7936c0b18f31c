package dev.procsync.redis;

import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import reactor.core.scheduler.Schedulers;

/**
 * A contract test class's Redis: one real server and one Redisson client for the class, and a
 * fresh namespace per test (opened lazily by the first handle, dropped by {@link #reset()}).
 */
final class Backend implements AutoCloseable {
    /*
     * No contract test kills a client, so the lease only has to outlive a stall of a live one: a
     * loaded 2-core CI machine can starve the renewal for more than a second. Death within the lease
     * is tested by the cross-process tests, which set their own short leases.
     */
    static final Duration LEASE = Duration.ofSeconds(5);

    final RedisServer server = RedisServer.start();
    private final RedissonClient client;
    private final Duration lease;
    private @Nullable RedisReactiveProcsync rx;

    Backend() {
        this(LEASE);
    }

    /** A backend whose semaphore permits, queue consumers and waiters have {@code lease} (locks: {@link #LEASE}). */
    Backend(Duration lease) {
        this.lease = lease;
        Config config = new Config();
        config.setLockWatchdogTimeout(LEASE.toMillis());
        config.useSingleServer().setAddress(server.url()).setConnectionMinimumIdleSize(2)
                .setConnectionPoolSize(8).setSubscriptionConnectionMinimumIdleSize(1);
        try {
            client = Redisson.create(config);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** This test's backend. */
    RedisReactiveProcsync rx() {
        RedisReactiveProcsync current = rx;
        if (current == null) {
            // Completions on boundedElastic: the contracts block() inside assertNext, which Reactor
            // forbids on parallel threads; timeouts still run on Schedulers.parallel() (virtual time).
            current = RedisReactiveProcsync.of(client.reactive(), "t" + UUID.randomUUID().toString().replace("-", ""),
                    Schedulers.boundedElastic(), Duration.ofMillis(100), lease);
            rx = current;
        }
        return current;
    }

    /** Ends this test's namespace. */
    void reset() {
        RedisReactiveProcsync current = rx;
        if (current != null) {
            current.close();
            rx = null;
        }
    }

    @Override
    public void close() {
        reset();
        client.shutdown();
        server.close();
    }
}
