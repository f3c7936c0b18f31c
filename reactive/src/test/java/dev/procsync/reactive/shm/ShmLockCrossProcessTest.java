package dev.procsync.reactive.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveLock;
import dev.procsync.reactive.testing.Ns;
import dev.procsync.sync.Lock;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class ShmLockCrossProcessTest {
    private final Ns ns = new Ns("xrxlock");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    /**
     * Child (blocking API): each round takes "db", says HELD, waits for "go-i" (held by the parent)
     * and releases "db" once the parent lets go of "go-i"; then waits for "ack-i", which the parent
     * lets go of once it got "db", so that the child cannot barge back in first.
     */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            int rounds = Integer.parseInt(args[2]);
            try (Namespace ns = TempRoot.openFromArgs(args); Lock db = ns.lock("db")) {
                for (int i = 0; i < rounds; i++) {
                    db.acquire();
                    System.out.println("HELD " + i);
                    try (Lock go = ns.lock("go-" + i); Lock ack = ns.lock("ack-" + i)) {
                        go.acquire();
                        db.release();
                        ack.acquire();
                    }
                }
            }
        }
    }

    /** Child: takes "db", says HELD, and waits to be killed. */
    public static final class Dier {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            Lock db = ns.lock("db");
            db.acquire();
            System.out.println("HELD");
            new CountDownLatch(1).await();
        }
    }

    @Test
    void shouldCompleteReactiveAcquireWhenAnotherProcessReleases() throws Exception {
        int rounds = 20;
        Lock[] go = new Lock[rounds];
        Lock[] ack = new Lock[rounds];
        try (Children children = new Children(); ReactiveLock db = ns.rx.lock("db")) {
            for (int i = 0; i < rounds; i++) {
                go[i] = ns.ns.lock("go-" + i);
                go[i].acquire();
                ack[i] = ns.ns.lock("ack-" + i);
                ack[i].acquire();
            }
            ChildProcess child = children.start(Holder.class, ns.root.childArgs("xrxlock", Integer.toString(rounds)));
            for (int i = 0; i < rounds; i++) {
                String held = "HELD " + i;
                child.awaitLine(held::equals, Children.JOIN);
                Lock letGo = go[i];
                StepVerifier.create(db.acquire())
                        .expectSubscription()
                        .expectNoEvent(Duration.ofMillis(i == 0 ? 50 : 1))
                        .then(letGo::release) // lets the child release "db"
                        .assertNext(Permit::close)
                        .expectComplete()
                        .verify(Children.JOIN);
                ack[i].release();
            }
            children.joinAllSuccessfully();
        }
    }

    @Test
    void shouldTakeOverFromKilledHolder() throws Exception {
        try (Children children = new Children(); ReactiveLock db = ns.rx.lock("db")) {
            ChildProcess child = children.start(Dier.class, ns.root.childArgs("xrxlock"));
            child.awaitLine("HELD"::equals, Children.JOIN);
            StepVerifier.create(db.acquire())
                    .expectSubscription()
                    .expectNoEvent(Duration.ofMillis(100)) // a live holder is never forced
                    .then(child::kill)
                    .assertNext(p -> {
                        assertTrue(((ShmLock) db).core().previousOwnerDied());
                        p.close();
                    })
                    .expectComplete()
                    .verify(Children.JOIN);
            assertEquals(Boolean.FALSE, db.isLocked().block());
        }
    }
}
