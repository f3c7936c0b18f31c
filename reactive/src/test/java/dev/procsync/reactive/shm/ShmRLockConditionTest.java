package dev.procsync.reactive.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.data.SharedLong;
import dev.procsync.process.ChildProcess;
import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveCondition;
import dev.procsync.reactive.conformance.ReactiveConditionContract;
import dev.procsync.reactive.testing.Ns;
import dev.procsync.sync.Condition;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * The reactive condition over an RLock ({@code rx.condition(name)}): the conformance contract,
 * and interplay with a blocking {@code ns.condition(name)} (Python's default, over an RLock) in
 * another process, both ways.
 */
class ShmRLockConditionTest extends ReactiveConditionContract {
    private final Ns ns = new Ns("rxrcond");

    @Override
    protected ReactiveCondition open(String name) {
        return ns.rx.condition(name);
    }

    @Override
    protected void tearDown() {
        ns.close();
    }

    /**
     * Child (blocking API, {@code ns.condition("c")}): waits until "turn" is 1 and sets it to 2,
     * then signals; args root, ns.
     */
    public static final class BlockingPeer {
        @SuppressWarnings("try") // the hold is the with-block
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Condition c = ns.condition("c");
                    SharedLong turn = ns.sharedLong("turn")) {
                System.out.println("READY");
                try (Condition.Hold hold = c.hold()) {
                    if (!c.awaitUntil(() -> turn.get() == 1, Duration.ofSeconds(60))) {
                        System.out.println("TIMED OUT");
                        System.exit(3);
                    }
                    turn.set(2);
                    c.signalAll();
                }
            }
        }
    }

    @Test
    void shouldSignalABlockingWaiterAndBeSignalledByItAcrossProcesses() throws Exception {
        try (Children children = new Children(); ReactiveCondition c = ns.rx.condition("c");
                SharedLong turn = ns.ns.sharedLong("turn")) {
            ChildProcess peer = children.start(BlockingPeer.class, ns.root.childArgs("rxrcond"));
            peer.awaitLine("READY"::equals, Children.JOIN);
            Permit held = c.acquire().block(Children.JOIN);
            turn.set(1);
            c.signalAll().block(Children.JOIN);
            // Wait (releasing the lock, so the blocking peer can take it) until the peer answers.
            long deadline = System.nanoTime() + Children.JOIN.toNanos();
            while (turn.get() != 2) {
                assertTrue(System.nanoTime() < deadline, "the blocking peer never answered:\n" + peer.output());
                c.await(held, Duration.ofSeconds(1)).block(Children.JOIN);
            }
            held.close();
            assertEquals(0, peer.joinExitCode(Children.JOIN), peer.output());
        }
    }

    @Test
    void shouldRefuseAWaitWhileTheHandleHoldsTheLockMoreThanOnce() {
        try (ReactiveCondition c = ns.rx.condition("nested")) {
            Permit outer = c.acquire().block(Duration.ofSeconds(10));
            Permit inner = c.acquire().block(Duration.ofSeconds(10)); // the handle re-enters
            StepVerifier.create(c.await(inner, Duration.ofMillis(100)))
                    .expectErrorSatisfies(e -> {
                        assertTrue(e instanceof IllegalStateException, e.toString());
                        assertTrue(e.getMessage().contains("2 times"), e.getMessage());
                    })
                    .verify(Duration.ofSeconds(10));
            inner.close();
            assertEquals(Boolean.FALSE, c.await(outer, Duration.ofMillis(50)).block(Duration.ofSeconds(10)),
                    "with one hold the wait runs (and times out here)");
            outer.close();
            assertThrows(NullPointerException.class, () -> c.await(outer, null));
        }
    }
}
