package dev.procsync.samples.webflux;

import dev.procsync.Namespace;
import dev.procsync.Procsync;
import dev.procsync.reactive.ReactiveProcsync;
import dev.procsync.reactive.shm.ShmReactiveProcsync;
import dev.procsync.redis.RedisReactiveProcsync;
import java.time.Duration;

/**
 * The one place that names a backend: {@code procsync.backend=shm} (the default) meets the other
 * processes of this host in a shared-memory namespace; {@code procsync.backend=redis} meets
 * processes on any host in a key prefix of the Redis server at {@code procsync.redis.url}. The
 * rest of the application sees only {@link ReactiveProcsync}.
 */
public final class ProcsyncBackend implements AutoCloseable {
    private final ReactiveProcsync rx;
    private final Runnable closer;

    private ProcsyncBackend(ReactiveProcsync rx, Runnable closer) {
        this.rx = rx;
        this.closer = closer;
    }

    /**
     * Opens the configured backend.
     *
     * @param kind      {@code shm} or {@code redis}
     * @param namespace where the processes of the service meet (a namespace, or a key prefix)
     * @param redisUrl  the Redis server, for {@code redis}
     * @param lease     how long a dead client keeps what it held, for {@code redis}
     * @return the backend; closing it closes what it opened
     */
    public static ProcsyncBackend open(String kind, String namespace, String redisUrl, Duration lease) {
        switch (kind) {
            case "shm": {
                Namespace ns = Procsync.open(namespace);
                return new ProcsyncBackend(ShmReactiveProcsync.of(ns), ns::close);
            }
            case "redis": {
                RedisReactiveProcsync redis = RedisReactiveProcsync.connect(redisUrl, namespace, lease);
                return new ProcsyncBackend(redis, redis::close);
            }
            default:
                throw new IllegalArgumentException("procsync.backend must be shm or redis, not '" + kind + "'");
        }
    }

    /** The backend's reactive face. @return it */
    public ReactiveProcsync rx() {
        return rx;
    }

    @Override
    public void close() {
        closer.run();
    }
}
