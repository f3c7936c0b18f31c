package dev.procsync.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveLock;
import dev.procsync.reactive.ReactiveSemaphore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client JVM is SIGKILLed while it holds a lock and a semaphore permit: the others get both back
 * within the lease, and the lock's next holder is told its previous owner died.
 */
class RedisKillTest {
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

    /** Child: takes the lock and the only permit, says HELD, and waits to be killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            RedisReactiveProcsync rx = RedisReactiveProcsync.connect(args[0], args[1], LEASE);
            Permit lock = rx.lock("k").acquire().block(WAIT);
            Permit permit = rx.semaphore("s", 1).acquire().block(WAIT);
            System.out.println("HELD " + (lock != null) + " " + (permit != null));
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void shouldGetTheLockAndThePermitBackWithinTheLeaseWhenTheHolderIsKilled() throws Exception {
        String ns = "kill" + System.nanoTime();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Holder.class.getName(), server.url(), ns)).redirectErrorStream(true).start();
        try (RedisReactiveProcsync rx = RedisReactiveProcsync.connect(server.url(), ns, LEASE);
                ReactiveLock lock = rx.lock("k");
                ReactiveSemaphore semaphore = rx.semaphore("s", 1)) {
            CompletableFuture<String> held = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null;) {
                        if (line.startsWith("HELD")) {
                            held.complete(line);
                        }
                    }
                    held.completeExceptionally(new AssertionError("holder exited before holding"));
                } catch (Exception e) {
                    held.completeExceptionally(e);
                }
            });
            reader.setDaemon(true);
            reader.start();
            assertEquals("HELD true true", held.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertTrue(lock.tryAcquire().blockOptional(WAIT).isEmpty(), "the holder has the lock");
            assertTrue(semaphore.tryAcquire().blockOptional(WAIT).isEmpty(), "the holder has the permit");

            child.destroyForcibly(); // SIGKILL: no release, no renewal
            assertTrue(child.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));

            Permit lockBack = lock.acquire(WAIT).block(WAIT);
            Permit permitBack = semaphore.acquire(WAIT).block(WAIT);
            assertTrue(lockBack != null && permitBack != null);
            assertTrue(((RedisPermit) lockBack).previousOwnerDied(), "the lease expired under the killed holder");
            lockBack.close();
            permitBack.close();
            Permit clean = lock.acquire(WAIT).block(WAIT);
            assertTrue(clean != null && !((RedisPermit) clean).previousOwnerDied(), "a clean release is no death");
            clean.close();
        } finally {
            child.destroyForcibly();
        }
    }
}
