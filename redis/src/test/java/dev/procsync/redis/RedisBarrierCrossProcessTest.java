package dev.procsync.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.reactive.ReactiveBarrier;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import reactor.core.publisher.Flux;

/**
 * A barrier of this JVM and a client JVM trips several rounds; then the client is SIGKILLed while
 * its arrival is pending, and the parties still waiting get {@link BrokenBarrierException} within
 * the lease (long before their timeout) instead of waiting for it forever.
 */
class RedisBarrierCrossProcessTest {
    private static final Duration LEASE = Duration.ofMillis(1500);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int ROUNDS = 5;
    private static RedisServer server;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Child: arrives ROUNDS times at "rounds" (2 parties), printing each index, then once at "last" (3 parties). */
    public static final class Party {
        public static void main(String[] args) throws Exception {
            RedisReactiveProcsync rx = RedisReactiveProcsync.connect(args[0], args[1], LEASE);
            ReactiveBarrier rounds = rx.barrier("rounds", 2);
            for (int round = 0; round < ROUNDS; round++) {
                System.out.println("ROUND " + round + " " + rounds.arrive(WAIT).block(WAIT));
                System.out.flush();
            }
            rx.barrier("last", 3).arrive().subscribe(i -> System.out.println("TRIPPED " + i),
                    e -> System.out.println("ERROR " + e));
            System.out.println("ARRIVING");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void shouldTripRoundsAcrossJvmsAndBreakWhenAWaitingPartyIsKilled() throws Exception {
        String ns = "xbarrier" + System.nanoTime();
        Config config = new Config();
        config.useSingleServer().setAddress(server.url());
        RedissonClient inspector = Redisson.create(config);
        try (ClientJvm child = ClientJvm.start(Party.class, server.url(), ns);
                RedisReactiveProcsync rx = RedisReactiveProcsync.connect(server.url(), ns, LEASE);
                ReactiveBarrier rounds = rx.barrier("rounds", 2);
                ReactiveBarrier last = rx.barrier("last", 3)) {
            for (int round = 0; round < ROUNDS; round++) {
                int mine = rounds.arrive(WAIT).block(WAIT);
                String theirs = child.awaitLine("ROUND " + round + " ", WAIT);
                int index = Integer.parseInt(theirs.substring(theirs.lastIndexOf(' ') + 1));
                assertEquals(1, mine + index, "round " + round + ": indexes " + mine + " and " + index);
            }

            child.awaitLine("ARRIVING", WAIT);
            // The child's arrival is counted once the barrier's count says so (white box: its state hash).
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!"1".equals(inspector.getMap(ns + ":{barrier:last}", StringCodec.INSTANCE).get("count"))) {
                assertTrue(System.nanoTime() < deadline, "the child's arrival was never counted");
                Thread.sleep(10);
            }
            child.kill(WAIT);
            // One more party waits for the third, which will never come: the dead party's lease
            // breaks the round, long before this wait's timeout.
            Throwable error = assertThrows(RuntimeException.class, () -> last.arrive(WAIT).block(WAIT.plusSeconds(10)));
            assertInstanceOf(BrokenBarrierException.class, error.getCause() == null ? error : error.getCause(),
                    "the dead party broke the round: " + error);

            last.reset().block(WAIT);
            List<Integer> indexes = Flux.merge(last.arrive(WAIT), last.arrive(WAIT), last.arrive(WAIT))
                    .sort().collectList().block(WAIT);
            assertEquals(List.of(0, 1, 2), indexes, "after a reset the barrier trips again");
        } finally {
            inspector.shutdown();
        }
    }
}
