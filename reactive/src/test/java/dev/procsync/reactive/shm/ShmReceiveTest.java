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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;

/** {@code receive()} takes in batches of up to the demand: never more onNext than requested, nothing lost on cancel. */
class ShmReceiveTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Ns ns = new Ns("rxreceive");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    private static List<String> numbered(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "m" + i).collect(Collectors.toList());
    }

    @Test
    void shouldNeverTakeMoreThanRequested() throws Exception {
        try (Queue<String> core = ns.ns.queue("q", Codecs.utf8(), QueueCapacity.messages(64));
                ReactiveQueue<String> rx = ns.rx.queue("q", Codecs.utf8(), QueueBound.messages(64))) {
            core.putAll(numbered(0, 10));
            StepVerifier.create(rx.receive(), 3)
                    .expectNext("m0", "m1", "m2")
                    .expectNoEvent(Duration.ofMillis(30))
                    .thenRequest(2)
                    .expectNext("m3", "m4")
                    .thenCancel()
                    .verify(WAIT);
            assertEquals(5, core.size(), "a receiver took messages nobody requested");
            assertEquals(0, ((ShmQueue<String>) rx).keptForNextTake());
        }
    }

    @Test
    void shouldGiveBackTheRestOfABatchWhenCancelledWhileEmittingIt() throws Exception {
        try (Queue<String> core = ns.ns.queue("q", Codecs.utf8(), QueueCapacity.messages(64));
                ReactiveQueue<String> rx = ns.rx.queue("q", Codecs.utf8(), QueueBound.messages(64))) {
            core.putAll(numbered(0, 10));
            List<String> got = new CopyOnWriteArrayList<>();
            rx.receive().subscribe(new BaseSubscriber<>() {
                @Override
                protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
                    request(6); // one batch of six, cancelled inside its second onNext
                }

                @Override
                protected void hookOnNext(String m) {
                    got.add(m);
                    if (got.size() == 2) {
                        cancel();
                    }
                }
            });
            assertEquals(List.of("m0", "m1"), got, "onNext after cancel from inside onNext");
            List<String> rest = new ArrayList<>();
            for (String m = rx.poll().block(WAIT); m != null; m = rx.poll().block(WAIT)) {
                rest.add(m);
            }
            assertEquals(numbered(2, 10), rest, "the batch's undelivered messages come first, in order");
            assertEquals(4, ((ShmQueue<String>) rx).keptForNextTake());
        }
    }

    @Test
    void shouldWaitOncePerEmptyQueueNotOncePerMessage() throws Exception {
        try (Queue<String> core = ns.ns.queue("q", Codecs.utf8(), QueueCapacity.messages(256));
                ReactiveQueue<String> rx = ns.rx.queue("q", Codecs.utf8(), QueueBound.messages(256))) {
            ShmQueue<String> shm = (ShmQueue<String>) rx;
            List<String> got = new CopyOnWriteArrayList<>();
            var receiving = rx.receive().subscribe(got::add);
            try {
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (shm.receiveWaits() == 0) {
                    assertTrue(System.nanoTime() < deadline, "the receiver never waited");
                    Thread.onSpinWait();
                }
                core.putAll(numbered(0, 200)); // one claim: the waiting receiver wakes to all of them
                while (got.size() < 200) {
                    assertTrue(System.nanoTime() < deadline, "received only " + got.size());
                    Thread.onSpinWait();
                }
                assertEquals(numbered(0, 200), got);
                assertTrue(shm.receiveWaits() <= 3, "waits: " + shm.receiveWaits());
            } finally {
                receiving.dispose();
            }
        }
    }
}
