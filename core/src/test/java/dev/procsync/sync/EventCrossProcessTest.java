package dev.procsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventCrossProcessTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("xevent");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /**
     * Child: for each round r in 0..args[2]-1, waits (bounded) for event "e" and reports the result,
     * acknowledges on semaphore "ack", and takes a permit of "go" before the next round (the parent
     * hands those out once the flag is lowered again).
     */
    public static final class Waiter {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Event event = ns.event("e");
                    Semaphore ack = ns.semaphore("ack", 0); Semaphore go = ns.semaphore("go", 0)) {
                int rounds = Integer.parseInt(args[2]);
                for (int r = 0; r < rounds; r++) {
                    boolean result = event.await(Duration.ofSeconds(30));
                    System.out.println("ROUND " + r + " " + result);
                    ack.release();
                    if (!go.tryAcquire(Duration.ofSeconds(30))) {
                        throw new AssertionError("no next round");
                    }
                }
            }
        }
    }

    /** Child: raises "e" then lowers it at once. */
    public static final class SetThenClear {
        public static void main(String[] args) {
            try (Namespace ns = TempRoot.openFromArgs(args); Event event = ns.event("e")) {
                event.set();
                event.clear();
            }
        }
    }

    /** Child: waits at most {@code args[2]} ms for "e" and prints the result. */
    public static final class TimedWaiter {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Event event = ns.event("e")) {
                System.out.println("RESULT " + event.await(Duration.ofMillis(Long.parseLong(args[2]))));
            }
        }
    }

    @Test
    void shouldWakeWaitersInTwoOtherProcessesOnSetEvenIfClearedRightAfter() throws Exception {
        int rounds = 5;
        try (Children children = new Children(); Event event = ns.event("e"); Semaphore ack = ns.semaphore("ack", 0);
                Semaphore go = ns.semaphore("go", 0)) {
            ChildProcess a = children.start(Waiter.class, root.childArgs("xevent", Integer.toString(rounds)));
            ChildProcess b = children.start(Waiter.class, root.childArgs("xevent", Integer.toString(rounds)));
            for (int r = 0; r < rounds; r++) {
                Waits.until("waiters", event::waiters, 2);
                event.set();
                event.clear(); // waiters woken by the set still report true
                for (int i = 0; i < 2; i++) {
                    if (!ack.tryAcquire(Children.JOIN)) {
                        throw new AssertionError("no acknowledgement in round " + r);
                    }
                }
                go.release(2);
            }
            children.joinAllSuccessfully();
            for (ChildProcess child : new ChildProcess[] {a, b}) {
                for (int r = 0; r < rounds; r++) {
                    String line = "ROUND " + r + " ";
                    assertEquals(line + "true", child.awaitLine(l -> l.startsWith(line), Children.JOIN));
                }
            }
        }
    }

    @Test
    void shouldWakeUnboundedSleepersHereWhenAnotherProcessSets() throws Exception {
        try (Children children = new Children(); Event event = ns.event("e");
                WatchTest.UnboundedSleepers sleepers = new WatchTest.UnboundedSleepers()) {
            for (int i = 0; i < 2; i++) {
                sleepers.start(event.armAwait());
            }
            children.start(SetThenClear.class, root.childArgs("xevent"));
            children.joinAllSuccessfully();
            Waits.until("completed watches", sleepers.completed::get, 2);
            assertFalse(event.isSet());
            assertEquals(0, event.waiters());
        }
    }

    @Test
    void shouldReturnFalseFromTimedAwaitInAnotherProcessWhenNeverSet() throws Exception {
        try (Children children = new Children(); Event event = ns.event("e")) {
            ChildProcess child = children.start(TimedWaiter.class, root.childArgs("xevent", "100"));
            assertEquals("RESULT false", child.awaitLine(l -> l.startsWith("RESULT"), Children.JOIN));
            children.joinAllSuccessfully();
            assertEquals(0, event.waiters());
        }
    }

    @Test
    void shouldWakeLiveWaitersAfterAWaiterWasKilled() throws Exception {
        try (Children children = new Children(); Event event = ns.event("e");
                WatchTest.UnboundedSleepers survivors = new WatchTest.UnboundedSleepers()) {
            ChildProcess doomed = children.start(TimedWaiter.class, root.childArgs("xevent", "60000"));
            Waits.until("waiters", event::waiters, 1);
            doomed.kill();
            assertTrue(doomed.join(Children.JOIN));
            survivors.start(event.armAwait());
            survivors.start(event.armAwait());
            event.set();
            Waits.until("completed watches", survivors.completed::get, 2);
            assertEquals(1, event.waiters(), "a killed waiter stays registered: a needless wake-all, nothing else");
            event.clear();
            assertFalse(event.await(Duration.ofMillis(20)));
        }
    }
}
