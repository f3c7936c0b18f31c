package dev.procsync.reactive.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.codec.Codecs;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveQueue;
import dev.procsync.reactive.testing.Ns;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * Receivers cancelled at random moments, on other threads, while messages are being dequeued for
 * them: every message must be received exactly once, none lost between dequeue and onNext.
 */
class QueueReceiveCancelStressTest {
    private static final int MESSAGES = 3_000;

    private final Ns ns = new Ns("rxqstress");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    @Test
    void shouldReceiveEveryMessageExactlyOnceWhileReceiversAreCancelledAtRandom() throws Exception {
        Random random = new Random(11);
        ConcurrentHashMap<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        try (ReactiveQueue<String> producer = ns.rx.queue("q", Codecs.utf8(), QueueBound.messages(64));
                ReactiveQueue<String> consumer = ns.rx.queue("q", Codecs.utf8(), QueueBound.messages(64))) {
            Disposable sending = producer.send(reactor.core.publisher.Flux.range(0, MESSAGES).map(String::valueOf))
                    .subscribe();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.size() < MESSAGES) {
                assertTrue(System.nanoTime() < deadline, "lost messages: only " + seen.size() + " of " + MESSAGES);
                Disposable receiving = consumer.receive()
                        .subscribe(m -> seen.computeIfAbsent(m, k -> new AtomicInteger()).incrementAndGet());
                // Cancel from another thread after a random short delay, racing the deliveries.
                Schedulers.parallel().schedule(receiving::dispose, random.nextInt(300), TimeUnit.MICROSECONDS);
                while (!receiving.isDisposed()) {
                    Thread.onSpinWait();
                }
            }
            sending.dispose();
            long kept = ((ShmQueue<String>) consumer).keptForNextTake();
            System.out.println(MESSAGES + " messages; " + kept + " dequeued for a cancelled receiver and kept");
            assertTrue(kept > 0, "the dequeue-versus-cancel race was never hit; the test proves nothing");
        }
        seen.forEach((m, n) -> assertEquals(1, n.get(), "message " + m + " received " + n.get() + " times"));
        assertEquals(MESSAGES, seen.size());
    }
}
