package dev.procsync.samples.webflux;

import dev.procsync.process.ChildProcess;
import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveSemaphore;
import dev.procsync.redis.RedisReactiveProcsync;
import dev.procsync.redis.RedisServer;
import java.time.Duration;

/**
 * The same ticket service on Redis: two processes (standing for two hosts) meet on a real
 * redis-server the test starts on a free port of 127.0.0.1; the application code is unchanged,
 * only {@code procsync.backend=redis} and the server's URL are configured.
 */
class TicketServiceRedisTest extends TicketServiceChecks {
    private final RedisServer redis = RedisServer.start();

    @Override
    protected ChildProcess.Builder withBackend(ChildProcess.Builder server) {
        return server.args("--procsync.backend=redis", "--procsync.redis.url=" + redis.url());
    }

    @Override
    protected Runnable holdEveryIssuer() {
        RedisReactiveProcsync rx = RedisReactiveProcsync.connect(redis.url(), "tickets", Duration.ofSeconds(10));
        ReactiveSemaphore issuers = rx.semaphore("issuers", 2);
        Permit both = issuers.acquire(2, WAIT).block(WAIT);
        return () -> {
            if (both != null) {
                both.close();
            }
            issuers.close();
            rx.close();
        };
    }

    @Override
    protected void closeBackend() {
        redis.close();
    }
}
