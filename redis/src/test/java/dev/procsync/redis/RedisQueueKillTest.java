package dev.procsync.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.codec.Codecs;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveQueue;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

/**
 * A consumer JVM is SIGKILLed inside its subscriber's {@code onNext}, holding an unacknowledged
 * message: another client receives that message once the killed client's lease has ended, every
 * message is received, and none the killed client had acknowledged is delivered again.
 */
class RedisQueueKillTest {
    /** Long enough that a live but slow child keeps its lease on a loaded machine. */
    private static final Duration LEASE = Duration.ofSeconds(8);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MESSAGES = 10;
    private static final int ACKED = 3;
    private static RedisServer server;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static ReactiveQueue<String> jobs(RedisReactiveProcsync rx) {
        return rx.queue("jobs", Codecs.utf8(), QueueBound.messages(64));
    }

    /**
     * Child: receives one message at a time; returns from onNext for the first {@value #ACKED}
     * (acknowledging them) and blocks forever in the next one, saying HOLD.
     */
    public static final class Consumer {
        public static void main(String[] args) throws Exception {
            RedisReactiveProcsync rx = RedisReactiveProcsync.connect(args[0], args[1], LEASE);
            jobs(rx).receive().subscribe(new BaseSubscriber<String>() {
                private int seen;

                @Override
                protected void hookOnSubscribe(Subscription subscription) {
                    request(1);
                }

                @Override
                protected void hookOnNext(String message) {
                    if (++seen <= ACKED) {
                        System.out.println("DONE " + message);
                        System.out.flush();
                        request(1);
                        return;
                    }
                    System.out.println("HOLD " + message);
                    System.out.flush();
                    try {
                        Thread.sleep(Long.MAX_VALUE); // killed in here: never acknowledged
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void shouldRedeliverTheKilledConsumersUnacknowledgedMessageAndNoAcknowledgedOne() throws Exception {
        String ns = "qkill" + System.nanoTime();
        try (RedisReactiveProcsync rx = RedisReactiveProcsync.connect(server.url(), ns, LEASE);
                ReactiveQueue<String> queue = jobs(rx)) {
            for (int i = 0; i < MESSAGES; i++) {
                queue.put("m" + i).block(WAIT);
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    Consumer.class.getName(), server.url(), ns)).redirectErrorStream(true).start();
            try {
                List<String> done = new CopyOnWriteArrayList<>();
                CompletableFuture<String> held = new CompletableFuture<>();
                Thread reader = new Thread(() -> {
                    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                            StandardCharsets.UTF_8))) {
                        for (String line; (line = out.readLine()) != null;) {
                            if (line.startsWith("DONE ")) {
                                done.add(line.substring(5));
                            } else if (line.startsWith("HOLD ")) {
                                held.complete(line.substring(5));
                            }
                        }
                        held.completeExceptionally(new AssertionError("consumer exited before holding a message"));
                    } catch (Exception e) {
                        held.completeExceptionally(e);
                    }
                });
                reader.setDaemon(true);
                reader.start();
                String unacked = held.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertEquals(List.of("m0", "m1", "m2"), done);
                assertEquals("m3", unacked);

                // While the consumer lives its message is its own: the others get only the rest.
                List<String> got = new ArrayList<>(queue.receive().take(MESSAGES - ACKED - 1).collectList()
                        .block(WAIT));
                assertTrue(queue.poll().blockOptional(WAIT).isEmpty(), "the live consumer's message stays with it");

                child.destroyForcibly(); // SIGKILL inside onNext: no acknowledgement, no renewal, no retire
                assertTrue(child.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));

                got.add(queue.take().block(WAIT)); // after the lease, swept back to the head
                assertTrue(queue.poll().blockOptional(WAIT).isEmpty(), "nothing else comes back");

                assertEquals("m3", got.get(got.size() - 1));
                List<String> all = new ArrayList<>(done);
                all.addAll(got);
                Set<String> distinct = new TreeSet<>(all);
                assertEquals(MESSAGES, all.size(), "every message once, acknowledged ones never again: " + all);
                assertEquals(MESSAGES, distinct.size(), "no duplicate: " + all);
            } finally {
                child.destroyForcibly();
                child.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }
}
