package dev.procsync.reactive.shm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.reactive.ReactiveRLock;
import dev.procsync.reactive.testing.Ns;
import dev.procsync.sync.Event;
import dev.procsync.sync.RLock;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class ShmRLockCrossProcessTest {
    private final Ns ns = new Ns("xrxrlock");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    /** Child (blocking API, a thread owner): holds "r" twice, says HELD, releases both after event "go". */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); RLock r = ns.rlock("r"); Event go = ns.event("go")) {
                r.acquire();
                r.acquire();
                System.out.println("HELD");
                go.await();
                r.release();
                r.release();
            }
        }
    }

    /** Child: holds "r" and waits to be killed. */
    public static final class Dier {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            RLock r = ns.rlock("r");
            r.acquire();
            System.out.println("HELD");
            new CountDownLatch(1).await();
        }
    }

    @Test
    void shouldCompleteWhenAThreadOfAnotherProcessReleasesItsLastHold() throws Exception {
        try (Children children = new Children(); ReactiveRLock r = ns.rx.rlock("r"); Event go = ns.ns.event("go")) {
            ChildProcess child = children.start(Holder.class, ns.root.childArgs("xrxrlock"));
            child.awaitLine("HELD"::equals, Children.JOIN);
            StepVerifier.create(r.acquire())
                    .expectSubscription()
                    .expectNoEvent(Duration.ofMillis(50))
                    .then(go::set)
                    .assertNext(p -> p.close())
                    .expectComplete()
                    .verify(Children.JOIN);
            children.joinAllSuccessfully();
        }
    }

    @Test
    void shouldTakeOverFromKilledHolder() throws Exception {
        try (Children children = new Children(); ReactiveRLock r = ns.rx.rlock("r")) {
            ChildProcess child = children.start(Dier.class, ns.root.childArgs("xrxrlock"));
            child.awaitLine("HELD"::equals, Children.JOIN);
            StepVerifier.create(r.acquire())
                    .expectSubscription()
                    .expectNoEvent(Duration.ofMillis(50))
                    .then(child::kill)
                    .assertNext(p -> {
                        assertTrue(((ShmRLock) r).core().previousOwnerDied());
                        p.close();
                    })
                    .expectComplete()
                    .verify(Children.JOIN);
        }
    }
}
