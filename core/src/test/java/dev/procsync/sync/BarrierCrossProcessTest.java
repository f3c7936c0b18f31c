package dev.procsync.sync;

import dev.procsync.layout.HeaderLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BarrierCrossProcessTest {
    static final int ACTIONS = HeaderLayout.LENGTH;
    static final int ROUNDS = 20;

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("xbarrier");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    static Segment stats(Namespace ns) {
        return ns.createOrOpen("stats", SegmentSpec.of(SegmentKind.VALUE, 4 + 4 * ROUNDS), s -> { });
    }

    /** Adds 1 to byte {@code index} of round {@code round}'s cell: every cell ends at 0x010101 iff indices are 0..2. */
    static void record(Segment stats, int round, int index) {
        stats.getAndAddInt(ACTIONS + 4 + 4 * round, 1 << (8 * index));
    }

    /** Child: one party of a 3-party barrier for {@link #ROUNDS} rounds, recording its arrival indices. */
    public static final class Rounds {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Segment stats = stats(ns);
                    Barrier barrier = ns.barrier("b", 3, () -> stats.getAndAddInt(ACTIONS, 1),
                            Duration.ofSeconds(30))) {
                for (int r = 0; r < ROUNDS; r++) {
                    record(stats, r, barrier.await());
                }
            }
        }
    }

    /** Child: waits once at a barrier of {@code args[2]} parties and prints how the wait ended. */
    public static final class Once {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args);
                    Barrier barrier = ns.barrier("once", Integer.parseInt(args[2]))) {
                try {
                    System.out.println("INDEX " + barrier.await(Duration.ofSeconds(30)));
                } catch (BrokenBarrierException e) {
                    System.out.println("BROKEN " + e.getMessage());
                }
            }
        }
    }

    @Test
    void shouldTripAcrossThreeProcessesForManyRoundsWithIndicesZeroToTwo() throws Exception {
        try (Children children = new Children(); Segment stats = stats(ns);
                Barrier barrier = ns.barrier("b", 3, () -> stats.getAndAddInt(ACTIONS, 1), Duration.ofSeconds(30))) {
            children.start(Rounds.class, root.childArgs("xbarrier"));
            children.start(Rounds.class, root.childArgs("xbarrier"));
            for (int r = 0; r < ROUNDS; r++) {
                record(stats, r, barrier.await());
            }
            children.joinAllSuccessfully();
            for (int r = 0; r < ROUNDS; r++) {
                assertEquals(0x010101, stats.getIntAcquire(ACTIONS + 4 + 4 * r),
                        "round " + r + " must hand out indices 0, 1 and 2 once each");
            }
            assertEquals(ROUNDS, stats.getIntAcquire(ACTIONS), "the action runs once per round");
            assertFalse(barrier.isBroken());
        }
    }

    @Test
    void shouldBreakForAPartyInAnotherProcessWhenOneTimesOut() throws Exception {
        try (Children children = new Children(); Barrier barrier = ns.barrier("once", 3)) {
            ChildProcess other = children.start(Once.class, root.childArgs("xbarrier", "3"));
            Eventually.until("child waiting", () -> barrier.waitingCount() == 1);
            assertThrows(BrokenBarrierException.class, () -> barrier.await(Duration.ofMillis(100)));
            String line = other.awaitLine(l -> l.startsWith("INDEX") || l.startsWith("BROKEN"), Children.JOIN);
            assertTrue(line.startsWith("BROKEN"), line);
            children.joinAllSuccessfully();
        }
    }

    @Test
    void shouldBreakForTheOthersWhenAWaitingPartyIsKilled() throws Exception {
        try (Children children = new Children(); Barrier barrier = ns.barrier("once", 4)) {
            ChildProcess doomed = children.start(Once.class, root.childArgs("xbarrier", "4"));
            Eventually.until("doomed child waiting", () -> barrier.waitingCount() == 1);
            ChildProcess survivor = children.start(Once.class, root.childArgs("xbarrier", "4"));
            Eventually.until("surviving child waiting", () -> barrier.waitingCount() == 2);
            CompletableFuture<Long> mine = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    barrier.await(Duration.ofSeconds(30));
                    mine.completeExceptionally(new AssertionError("tripped with a dead party"));
                } catch (BrokenBarrierException e) {
                    mine.complete(System.nanoTime());
                } catch (Throwable e) {
                    mine.completeExceptionally(e);
                }
            });
            t.start();
            Eventually.until("three waiting", () -> barrier.waitingCount() == 3);

            long killedAt = System.nanoTime();
            doomed.kill();
            long brokenAt;
            try {
                brokenAt = mine.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError(e.getCause());
            }
            long tookMillis = (brokenAt - killedAt) / 1_000_000;
            assertTrue(tookMillis < 2_000, "a dead party was noticed after " + tookMillis + " ms");
            String line = survivor.awaitLine(l -> l.startsWith("INDEX") || l.startsWith("BROKEN"), Children.JOIN);
            assertTrue(line.startsWith("BROKEN"), line);
            assertEquals(0, survivor.joinExitCode(Children.JOIN));
            assertTrue(barrier.isBroken());

            barrier.reset();
            assertFalse(barrier.isBroken());
            assertTrue(barrier.toString().contains("filling, 0 in"), "the dead party was counted out: " + barrier);
        }
    }
}
