package dev.procsync.reactive;

import dev.procsync.layout.HeaderLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.futex.WaitResult;
import dev.procsync.reactive.testing.Ns;
import dev.procsync.sync.Lock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** BlockHound is installed for this suite (BlockHoundExtension); core's integration marks futex sleeps. */
class BlockHoundIntegrationTest {
    private final Ns ns = new Ns("rxhound");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    @Test
    void shouldReportFutexSleepOnParallelThread() {
        try (Lock held = ns.ns.lock("db")) {
            held.acquire();
            int word = held.segment().getIntAcquire(HeaderLayout.LENGTH);
            Mono<WaitResult> sleep = Mono
                    .fromCallable(() -> held.segment().await(HeaderLayout.LENGTH, word, 1_000_000))
                    .subscribeOn(Schedulers.parallel());
            StepVerifier.create(sleep)
                    .expectErrorSatisfies(e -> assertTrue(e instanceof BlockingOperationError
                            && e.getMessage().contains("dev.procsync.futex.Futex.await"), e.toString()))
                    .verify(Duration.ofSeconds(10));
            held.release();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldReportBlockingCoreAcquireOnParallelThread() throws Exception {
        try (Lock held = ns.ns.lock("db"); Lock blocking = ns.ns.lock("db")) {
            held.acquire();
            Mono<Boolean> blockingAcquire = Mono.fromCallable(() -> blocking.tryAcquire(Duration.ofMillis(200)))
                    .subscribeOn(Schedulers.parallel());
            StepVerifier.create(blockingAcquire)
                    .expectError(BlockingOperationError.class)
                    .verify(Duration.ofSeconds(10));
            held.release();
        }
    }

    @Test
    void shouldStayCleanWhenReactiveWaitersCompleteOnParallelThreads() {
        try (ReactiveLock lock = ns.rx.lock("db")) {
            // Many contending critical sections, each subscribed and completed on parallel() threads.
            List<Integer> done = Flux.range(0, 200)
                    .flatMap(i -> lock.withPermit(p -> Mono.just(i).publishOn(Schedulers.parallel()))
                            .subscribeOn(Schedulers.parallel()), 32)
                    .collectList()
                    .block(Duration.ofSeconds(30));
            assertEquals(200, done.size());
        }
    }
}
