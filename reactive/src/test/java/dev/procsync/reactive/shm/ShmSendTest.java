package dev.procsync.reactive.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.channel.Queue;
import dev.procsync.channel.QueueCapacity;
import dev.procsync.codec.Codecs;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveQueue;
import dev.procsync.reactive.testing.Ns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** {@code send} puts in batches, backpressured by the queue; errors and cancels keep what was put a prefix. */
class ShmSendTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Ns ns = new Ns("rxsend");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    private static List<String> drain(Queue<String> core) {
        List<String> got = new ArrayList<>();
        core.drainTo(got, Integer.MAX_VALUE);
        return got;
    }

    @Test
    void shouldPutWhatTheSourceGaveBeforeItFailedThenFail() {
        try (Queue<String> core = ns.ns.queue("q", Codecs.utf8(), QueueCapacity.messages(64));
                ReactiveQueue<String> rx = ns.rx.queue("q", Codecs.utf8(), QueueBound.messages(64))) {
            Flux<String> failing = Flux.concat(Flux.just("a", "b", "c"), Flux.error(new IllegalStateException("boom")));
            StepVerifier.create(rx.send(failing)).expectErrorMessage("boom").verify(WAIT);
            assertEquals(List.of("a", "b", "c"), drain(core));
        }
    }

    @Test
    void shouldFailAtOnceOnAnItemTheCodecRefusesAndCancelTheSource() {
        try (Queue<String> core = ns.ns.queue("q", Codecs.utf8(), QueueCapacity.messages(64));
                ReactiveQueue<String> rx = ns.rx.queue("q", Codecs.utf8(), QueueBound.messages(64))) {
            AtomicInteger cancelled = new AtomicInteger();
            Flux<String> source = Flux.just("a", "x".repeat(1 << 21), "c").doOnCancel(cancelled::incrementAndGet);
            StepVerifier.create(rx.send(source)).expectError(IllegalArgumentException.class).verify(WAIT);
            assertEquals(1, cancelled.get(), "the source was not cancelled");
            List<String> put = drain(core);
            assertTrue(put.isEmpty() || put.equals(List.of("a")), "put: " + put);
        }
    }

    @Test
    void shouldLeaveAnInOrderPrefixWhenCancelled() {
        try (Queue<String> core = ns.ns.queue("q", Codecs.utf8(), QueueCapacity.messages(1_000));
                ReactiveQueue<String> rx = ns.rx.queue("q", Codecs.utf8(), QueueBound.messages(1_000))) {
            Disposable sending = rx.send(Flux.range(0, 100_000).map(String::valueOf)).subscribe();
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<String> got = new ArrayList<>();
            while (got.size() < 2_000) {
                assertTrue(System.nanoTime() < deadline, "sent only " + got.size());
                core.drainTo(got, 100);
            }
            sending.dispose();
            got.addAll(drain(core)); // a batch that won against the cancel may still land once
            for (int i = 0; i < got.size(); i++) {
                assertEquals(String.valueOf(i), got.get(i), "not an in-order prefix at " + i);
            }
            assertTrue(got.size() < 100_000, "the cancel did not stop the send");
        }
    }

    @Test
    void shouldCompleteEmptyForAnEmptySource() {
        try (ReactiveQueue<String> rx = ns.rx.queue("q", Codecs.utf8(), QueueBound.messages(4))) {
            StepVerifier.create(rx.send(Flux.empty())).verifyComplete();
        }
    }
}
