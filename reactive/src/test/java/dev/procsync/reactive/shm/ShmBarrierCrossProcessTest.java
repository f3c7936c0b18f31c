package dev.procsync.reactive.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procsync.Namespace;
import dev.procsync.reactive.ReactiveBarrier;
import dev.procsync.reactive.testing.Ns;
import dev.procsync.sync.Barrier;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShmBarrierCrossProcessTest {
    private static final int ROUNDS = 20;

    private final Ns ns = new Ns("xrxbarrier");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    /** Child (blocking API): one party of a 3-party barrier for ROUNDS rounds. */
    public static final class Party {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Barrier b = ns.barrier("b", 3)) {
                for (int i = 0; i < ROUNDS; i++) {
                    b.await();
                }
            }
        }
    }

    @Test
    void shouldTripRoundsTogetherWithABlockingPartyInAnotherProcess() throws Exception {
        try (Children children = new Children(); ReactiveBarrier b = ns.rx.barrier("b", 3);
                ReactiveBarrier b2 = ns.rx.barrier("b", 3)) {
            children.start(Party.class, ns.root.childArgs("xrxbarrier"));
            for (int i = 0; i < ROUNDS; i++) {
                Set<Integer> indexes = new HashSet<>(
                        reactor.core.publisher.Flux.merge(b.arrive(), b2.arrive()).collectList().block(Children.JOIN));
                assertEquals(2, indexes.size(), "two distinct indexes in round " + i);
            }
            children.joinAllSuccessfully();
        }
    }
}
