package dev.procsync.reactive.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveEvent;
import dev.procsync.reactive.ReactiveLock;
import dev.procsync.internal.engine.Poller;
import dev.procsync.reactive.testing.Ns;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** {@link ShmReactiveProcsync#completeOnPoller()}: completions run on the poller thread, deadlines still fire. */
class CompleteOnPollerTest {
    private final Ns ns = new Ns("rxinline");
    private final ShmReactiveProcsync rx = ShmReactiveProcsync.of(ns.ns, ShmReactiveProcsync.completeOnPoller());

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    @Test
    void shouldCompleteAWaitOnThePollerThread() throws Exception {
        try (ReactiveLock lock = rx.lock("l"); ReactiveEvent event = rx.event("e")) {
            Permit held = lock.acquire().block(Duration.ofSeconds(10));
            CompletableFuture<String> where = new CompletableFuture<>();
            lock.acquire().subscribe(p -> {
                where.complete(Thread.currentThread().getName());
                p.close();
            });
            held.close();
            assertEquals(Poller.THREAD_NAME, where.get(10, TimeUnit.SECONDS));

            CompletableFuture<String> awaited = new CompletableFuture<>();
            event.await().subscribe(null, awaited::completeExceptionally,
                    () -> awaited.complete(Thread.currentThread().getName()));
            event.set().block(Duration.ofSeconds(10));
            assertEquals(Poller.THREAD_NAME, awaited.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldStillTimeOut() {
        try (ReactiveLock lock = rx.lock("l")) {
            Permit held = lock.acquire().block(Duration.ofSeconds(10));
            StepVerifier.create(lock.acquire(Duration.ofMillis(20)))
                    .expectError(TimeoutException.class)
                    .verify(Duration.ofSeconds(10));
            held.close();
        }
    }
}
