package dev.procsync.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveCondition;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client JVM waits on a condition and is SIGKILLed; a waiter registered after it in this JVM
 * still gets the next signal: the dead waiter is skipped, or the notification it was given is
 * passed on once its lease expires. A signal is not swallowed by a dead client.
 */
class RedisConditionCrossProcessTest {
    private static final Duration LEASE = Duration.ofMillis(1500);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static RedisServer server;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Child: waits on "c" (subscribing confirms the registration and the lock's release), says WAITING. */
    public static final class Waiter {
        public static void main(String[] args) throws Exception {
            RedisReactiveProcsync rx = RedisReactiveProcsync.connect(args[0], args[1], LEASE);
            ReactiveCondition condition = rx.condition("c", "c.lock");
            Permit held = condition.acquire().block(WAIT);
            condition.await(held).subscribe(v -> { }, e -> { }, () -> System.out.println("WOKEN"));
            System.out.println("WAITING");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void shouldPassASignalOnPastAWaiterWhoseClientWasKilled() throws Exception {
        String ns = "xcond" + System.nanoTime();
        try (ClientJvm child = ClientJvm.start(Waiter.class, server.url(), ns);
                RedisReactiveProcsync rx = RedisReactiveProcsync.connect(server.url(), ns, LEASE);
                ReactiveCondition condition = rx.condition("c", "c.lock");
                ReactiveCondition signaller = rx.condition("c", "c.lock")) {
            child.awaitLine("WAITING", WAIT);
            child.kill(WAIT);

            Permit held = condition.acquire(WAIT).block(WAIT);
            CompletableFuture<Void> woken = new CompletableFuture<>();
            condition.await(held).subscribe(v -> { }, woken::completeExceptionally, () -> woken.complete(null));
            signaller.withPermit(p -> signaller.signal(1)).block(WAIT);
            woken.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertFalse(held.isReleased(), "the woken wait holds the lock again for its permit");
            assertTrue(signaller.tryAcquire().blockOptional(WAIT).isEmpty(), "the lock is held");
            held.close();
        }
    }
}
