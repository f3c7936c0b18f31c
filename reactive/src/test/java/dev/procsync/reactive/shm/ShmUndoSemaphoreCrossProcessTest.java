package dev.procsync.reactive.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveBoundedSemaphore;
import dev.procsync.reactive.ReactiveSemaphore;
import dev.procsync.reactive.testing.Ns;
import dev.procsync.sync.BoundedSemaphore;
import dev.procsync.sync.Semaphore;
import dev.procsync.sync.SemaphoreOptions;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Undo-on-death semaphores through the reactive face: a permit acquired reactively (on the poller
 * or the subscriber's thread) is recorded under this process and given back when a reactive holder
 * in another JVM is killed; the pending reactive waiter finds the dead holder by itself and its
 * permit reports {@link Permit#previousOwnerDied()}.
 */
class ShmUndoSemaphoreCrossProcessTest {
    private final Ns ns = new Ns("xrxundo");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    private ShmReactiveProcsync rx() {
        return (ShmReactiveProcsync) ns.rx;
    }

    /** Child: takes both permits of the undo-mode semaphore "s" reactively, says HELD, waits to be killed. */
    public static final class ReactiveHolder {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            ReactiveSemaphore sem = ShmReactiveProcsync.of(ns).semaphore("s", 2, SemaphoreOptions.undoOnDeath());
            Permit permit = sem.acquire(2).block();
            System.out.println("HELD " + permit);
            new CountDownLatch(1).await();
        }
    }

    @Test
    void shouldRecordAReactivelyAcquiredPermitUnderThisProcess() {
        try (ReactiveBoundedSemaphore rsem = rx().boundedSemaphore("b", 1, SemaphoreOptions.undoOnDeath());
                BoundedSemaphore sem = ns.ns.boundedSemaphore("b", 1, SemaphoreOptions.undoOnDeath())) {
            Permit permit = Objects.requireNonNull(rsem.acquire().block(Children.JOIN));
            assertEquals(1, sem.heldByThisProcess());
            assertFalse(permit.previousOwnerDied());
            assertEquals(null, rsem.tryAcquire().block(Children.JOIN), "no permit left");
            permit.close();
            assertEquals(0, sem.heldByThisProcess());
            assertEquals(1, sem.availablePermits());
        }
    }

    @Test
    void shouldGiveAKilledReactiveHoldersPermitsToAPendingReactiveWaiter() throws Exception {
        try (Children children = new Children();
                ReactiveSemaphore rsem = rx().semaphore("s", 2, SemaphoreOptions.undoOnDeath());
                Semaphore sem = ns.ns.semaphore("s", 2, SemaphoreOptions.undoOnDeath())) {
            ChildProcess holder = children.start(ReactiveHolder.class, ns.root.childArgs("xrxundo"));
            holder.awaitLine(line -> line.startsWith("HELD"), Children.JOIN);
            var pending = rsem.acquire(2).toFuture(); // waits on the poller while the holder lives
            holder.kill();
            holder.onExit().get();
            Permit permit = pending.get(Children.JOIN.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(permit.previousOwnerDied(), "the taker of a dead holder's permits is told");
            assertEquals(2, sem.heldByThisProcess());
            assertEquals(2, sem.recoveredPermits());
            permit.close();
            assertEquals(2, sem.availablePermits());
            assertEquals(0, sem.recoverDeadHolders(), "given back exactly once");
        }
    }
}
