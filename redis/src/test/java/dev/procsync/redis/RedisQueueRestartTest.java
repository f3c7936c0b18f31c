package dev.procsync.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.procsync.codec.Codecs;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveQueue;
import dev.procsync.reactive.ReactiveValue;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.RedisException;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The server is stopped (SIGKILL) under a pending take and a receiving stream, and restarted on the
 * same port: what was pending errors with Redisson's exception once its retries are spent (never
 * hangs), commands sent while it is down error the same way, and the same handles work again once
 * the client has reconnected. The server keeps nothing across the restart (no persistence).
 */
class RedisQueueRestartTest {
    private static final Duration LEASE = Duration.ofSeconds(2);
    /** Far beyond the client's retry window (3 attempts of 3 s); a bound, not a timing. */
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final RedisServer server = RedisServer.start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static <T> T eventually(Mono<T> command) {
        // Right after the restart a command can still meet a connection the client has not yet
        // replaced; it works again within a few reconnect intervals.
        return command.retryWhen(Retry.fixedDelay(60, Duration.ofMillis(500)).filter(RedisException.class::isInstance))
                .block(WAIT);
    }

    private static void assertFailsWithRedisError(CompletableFuture<?> pending) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> pending.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(RedisException.class, e.getCause(), "Redisson's exception, not a hang or a loss");
    }

    @Test
    void shouldErrorPendingWaitsWhenTheServerStopsAndWorkAgainAfterItRestarts() throws Exception {
        try (RedisReactiveProcsync rx = RedisReactiveProcsync.connect(server.url(), "restart", LEASE);
                ReactiveQueue<String> queue = rx.queue("jobs", Codecs.utf8(), QueueBound.messages(16));
                ReactiveQueue<String> other = rx.queue("jobs", Codecs.utf8(), QueueBound.messages(16));
                ReactiveValue<Long> value = rx.longValue("v")) {
            queue.put("before").block(WAIT);
            assertEquals("before", other.take().block(WAIT));
            value.set(1L).block(WAIT);

            CompletableFuture<String> pendingTake = other.take().toFuture();
            CompletableFuture<Void> stream = queue.receive().then().toFuture();
            server.stop();

            assertFailsWithRedisError(pendingTake);
            assertFailsWithRedisError(stream);
            assertFailsWithRedisError(queue.put("while down").toFuture());
            assertFailsWithRedisError(value.get().toFuture());

            server.launch();

            eventually(queue.put("after"));
            assertEquals("after", eventually(other.take()));
            CompletableFuture<String> waiting = other.take().toFuture();
            eventually(queue.put("woken"));
            assertEquals("woken", waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            eventually(value.set(2L));
            assertEquals(2L, eventually(other.poll().then(value.get())));
        }
    }
}
