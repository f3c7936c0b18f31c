package dev.procsync.reactive.shm;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveEvent;
import dev.procsync.reactive.ReactiveSemaphore;
import dev.procsync.reactive.testing.Ns;
import dev.procsync.sync.Event;
import dev.procsync.sync.Semaphore;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class ShmSemaphoreEventCrossProcessTest {
    private static final int ROUNDS = 10;

    private final Ns ns = new Ns("xrxsem");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    /**
     * Child (blocking API): each round waits for event "go-i" and then releases one permit of
     * "sem"; finally waits for "go-last" and sets "done".
     */
    public static final class Releaser {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Semaphore sem = ns.semaphore("sem", 0)) {
                for (int i = 0; i < ROUNDS; i++) {
                    try (Event go = ns.event("go-" + i)) {
                        go.await();
                    }
                    sem.release();
                }
                try (Event last = ns.event("go-last"); Event done = ns.event("done")) {
                    last.await();
                    done.set();
                }
            }
        }
    }

    @Test
    void shouldCompletePendingAcquiresAndAwaitsWhenAnotherProcessReleasesAndSets() throws Exception {
        try (Children children = new Children(); ReactiveSemaphore sem = ns.rx.semaphore("sem", 0);
                ReactiveEvent done = ns.rx.event("done")) {
            ChildProcess child = children.start(Releaser.class, ns.root.childArgs("xrxsem"));
            List<Permit> taken = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                ReactiveEvent go = ns.rx.event("go-" + i);
                StepVerifier.create(sem.acquire())
                        .expectSubscription()
                        .expectNoEvent(Duration.ofMillis(5))
                        .then(() -> go.set().block())
                        .consumeNextWith(taken::add) // kept: closing it would hand the permit back
                        .expectComplete()
                        .verify(Children.JOIN);
                go.close();
            }
            ReactiveEvent last = ns.rx.event("go-last");
            StepVerifier.create(done.await())
                    .expectSubscription()
                    .expectNoEvent(Duration.ofMillis(5))
                    .then(() -> last.set().block())
                    .expectComplete()
                    .verify(Children.JOIN);
            last.close();
            children.joinAllSuccessfully();
            StepVerifier.create(sem.availablePermits()).expectNext(0).verifyComplete();
            taken.forEach(Permit::close);
            StepVerifier.create(sem.availablePermits()).expectNext(ROUNDS).verifyComplete();
            child.close();
        }
    }
}
