package dev.procsync.reactive.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveAcquirable;
import dev.procsync.reactive.ReactiveProcsync;
import dev.procsync.reactive.testing.Ns;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

/**
 * A reactive holder in a child JVM is killed (SIGKILL) holding a lock or reentrant lock; the next
 * reactive holder, in this JVM, is told through {@link Permit#previousOwnerDied()}, and the
 * repairing {@code withPermit} runs its repair exactly when it should.
 */
class PermitOwnerDiedCrossProcessTest {
    private final Ns ns = new Ns("xrxdied");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    /** Child: takes "db" through the reactive API ("lock" or "rlock"), says HELD, waits to be killed. */
    public static final class ReactiveDier {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            ReactiveProcsync rx = ShmReactiveProcsync.of(ns);
            ReactiveAcquirable db = "rlock".equals(args[2]) ? rx.rlock("db") : rx.lock("db");
            Permit permit = db.acquire().block();
            System.out.println("HELD " + permit);
            new CountDownLatch(1).await();
        }
    }

    private ReactiveAcquirable open(String kind) {
        return "rlock".equals(kind) ? ns.rx.rlock("db") : ns.rx.lock("db");
    }

    private void killHolder(Children children, String kind) throws Exception {
        ChildProcess child = children.start(ReactiveDier.class, ns.root.childArgs("xrxdied", kind));
        child.awaitLine(line -> line.startsWith("HELD"), Children.JOIN);
        child.kill();
        child.onExit().get();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void shouldTellTheNextReactiveHolderThatAReactiveHolderWasKilled(String kind) throws Exception {
        ReactiveAcquirable db = open(kind);
        try (Children children = new Children()) {
            killHolder(children, kind);
            Permit taken = db.acquire().block(Children.JOIN);
            assertTrue(taken.previousOwnerDied(), "the next holder must be told: " + taken);
            taken.close(); // repaired: a normal release clears the signal
            Permit next = db.acquire().block(Children.JOIN);
            assertFalse(next.previousOwnerDied(), "a clean release in between: " + next);
            next.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void shouldRepairOnceThroughWithPermitAndPassTheSignalOnWhenTheRepairFails(String kind) throws Exception {
        ReactiveAcquirable db = open(kind);
        AtomicInteger repairs = new AtomicInteger();
        try (Children children = new Children()) {
            killHolder(children, kind);
            Mono<Boolean> failedRepair = db.withPermit(p -> Mono.error(new IllegalStateException("cannot repair")),
                    p -> Mono.just(true)).next();
            assertEquals("cannot repair", org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> failedRepair.block(Children.JOIN)).getMessage());
            List<Boolean> seen = db.withPermit(p -> Mono.fromRunnable(repairs::incrementAndGet),
                    p -> Mono.just(p.previousOwnerDied())).collectList().block(Children.JOIN);
            assertEquals(List.of(true), seen, "the failed repair passed the signal on");
            assertEquals(1, repairs.get());
            seen = db.withPermit(p -> Mono.fromRunnable(repairs::incrementAndGet),
                    p -> Mono.just(p.previousOwnerDied())).collectList().block(Children.JOIN);
            assertEquals(List.of(false), seen, "repaired and released: the signal is cleared");
            assertEquals(1, repairs.get(), "no repair without a death");
        }
    }
}
