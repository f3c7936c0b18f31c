package dev.procsync.sync;

import static dev.procsync.layout.SemaphoreLayout.BOOK_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.BOOK_START_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.JOURNAL_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.J_HELD_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.J_INHERITED_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.J_ORPHANS_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.J_PERMITS_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.J_PID_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.J_RECOVERED_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.ORPHANS_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.RECOVERED_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.SLOTS_OFFSET;
import static dev.procsync.layout.SemaphoreLayout.SLOT_HELD;
import static dev.procsync.layout.SemaphoreLayout.SLOT_INHERITED;
import static dev.procsync.layout.SemaphoreLayout.SLOT_PID;
import static dev.procsync.layout.SemaphoreLayout.SLOT_START;
import static dev.procsync.layout.SemaphoreLayout.STATE_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.SegmentMismatchException;
import dev.procsync.layout.HeaderLayout;
import dev.procsync.layout.SemaphoreLayout;
import dev.procsync.process.ChildProcess;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.Segment;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The undo-on-death mode: the ledger's accounting, the mode check on open, the repair of an update
 * cut short at every step by a holder's death, and the give-back of a dead holder's permits across
 * real processes; plus the plain mode's documented loss, unchanged.
 */
class UndoSemaphoreTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("undo");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /**
     * Child: opens semaphore args[2] (args[3] = "plain", "undo" or "undo1", args[4] = "bounded" or
     * "counting", args[5] = initial permits), acquires args[6] permits, prints HELD and then either
     * exits without releasing ("exit") or waits to be killed ("hold").
     */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            CountingSemaphore sem = open(ns, args[2], args[3], args[4], Integer.parseInt(args[5]));
            sem.acquire(Integer.parseInt(args[6]));
            System.out.println("HELD");
            if ("hold".equals(args[7])) {
                new java.util.concurrent.CountDownLatch(1).await(); // until SIGKILL
            }
            // "exit": returns holding, handles not closed, nothing released
        }
    }

    static CountingSemaphore open(Namespace ns, String name, String mode, String kind, int permits) {
        SemaphoreOptions options = switch (mode) {
            case "plain" -> SemaphoreOptions.plain();
            case "undo" -> SemaphoreOptions.undoOnDeath();
            default -> SemaphoreOptions.undoOnDeath(Integer.parseInt(mode.substring(4)));
        };
        return "bounded".equals(kind) ? ns.boundedSemaphore(name, permits, options)
                : ns.semaphore(name, permits, options);
    }

    private ChildProcess hold(Children children, String name, String mode, String kind, int permits, int n,
            String then) throws InterruptedException {
        ChildProcess child = children.start(Holder.class, root.childArgs("undo", name, mode, kind,
                Integer.toString(permits), Integer.toString(n), then));
        child.awaitLine("HELD"::equals, BOUND);
        return child;
    }

    @Test
    void shouldRecordWhatThisProcessHoldsAndReleaseOnlyThat() throws InterruptedException {
        try (Semaphore sem = ns.semaphore("s", 3, SemaphoreOptions.undoOnDeath())) {
            assertEquals(SemaphoreOptions.undoOnDeath(), sem.options());
            assertEquals(0, sem.heldByThisProcess());
            assertThrows(IllegalMonitorStateException.class, sem::release);
            sem.acquire(2);
            assertTrue(sem.tryAcquire());
            assertFalse(sem.tryAcquire());
            assertEquals(3, sem.heldByThisProcess());
            IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, () -> sem.release(4));
            assertTrue(e.getMessage().contains("holds 3, releasing 4"), e.getMessage());
            assertEquals(0, sem.availablePermits(), "a refused release changes nothing");
            sem.release(2);
            assertEquals(1, sem.heldByThisProcess());
            try (Semaphore other = ns.semaphore("s", 3, SemaphoreOptions.undoOnDeath())) {
                assertEquals(1, other.heldByThisProcess(), "permits belong to the process, not the handle");
                other.release();
            }
            assertEquals(0, sem.heldByThisProcess());
            assertEquals(3, sem.availablePermits());
            assertFalse(sem.previousOwnerDied());
            assertEquals(0, sem.recoveredPermits());
            assertEquals(0, sem.recoverDeadHolders());
        }
    }

    @Test
    void shouldKeepTheBoundOfABoundedSemaphoreInUndoMode() throws InterruptedException {
        try (BoundedSemaphore sem = ns.boundedSemaphore("b", 2, SemaphoreOptions.undoOnDeath(4))) {
            try (BoundedSemaphore.Hold hold = sem.hold()) {
                assertFalse(hold.previousOwnerDied());
                assertEquals(1, sem.heldByThisProcess());
            }
            assertEquals(2, sem.availablePermits());
            assertThrows(IllegalMonitorStateException.class, sem::release, "nothing held: never past the bound");
            assertTrue(sem.toString().contains("undoOnDeath(4)"), sem.toString());
        }
    }

    @Test
    void shouldRefuseAnOpenInAnotherModeNamingBoth() {
        try (Semaphore undo = ns.semaphore("u", 1, SemaphoreOptions.undoOnDeath());
                Semaphore plain = ns.semaphore("p", 1)) {
            SegmentMismatchException e = assertThrows(SegmentMismatchException.class, () -> ns.semaphore("u", 1));
            assertTrue(e.getMessage().contains("undoOnDeath(64)") && e.getMessage().contains("not plain"),
                    e.getMessage());
            e = assertThrows(SegmentMismatchException.class,
                    () -> ns.semaphore("p", 1, SemaphoreOptions.undoOnDeath()));
            assertTrue(e.getMessage().contains("plain mode, not undoOnDeath(64)"), e.getMessage());
            e = assertThrows(SegmentMismatchException.class,
                    () -> ns.semaphore("u", 1, SemaphoreOptions.undoOnDeath(8)));
            assertTrue(e.getMessage().contains("undoOnDeath(64) mode, not undoOnDeath(8)"), e.getMessage());
            e = assertThrows(SegmentMismatchException.class,
                    () -> ns.semaphore("u", 2, SemaphoreOptions.undoOnDeath()));
            assertTrue(e.getMessage().contains("permits=1"), e.getMessage());
            assertEquals(SemaphoreLayout.UNDO_VERSION, undo.segment().getInt(HeaderLayout.VERSION_OFFSET),
                    "version-1 readers must refuse the undo mode");
            assertEquals(SemaphoreLayout.VERSION, plain.segment().getInt(HeaderLayout.VERSION_OFFSET),
                    "the plain mode stays readable by version-1 readers");
            assertEquals(0, plain.segment().getLong(HeaderLayout.paramOffset(SemaphoreLayout.PARAM_UNDO_SLOTS)));
        }
        assertThrows(IllegalArgumentException.class, () -> SemaphoreOptions.undoOnDeath(0));
        assertThrows(IllegalArgumentException.class,
                () -> SemaphoreOptions.undoOnDeath(SemaphoreLayout.MAX_UNDO_SLOTS + 1));
    }

    @Test
    void shouldGiveAKilledHoldersPermitsToTheNextWaiterAndTellIt() throws Exception {
        try (Children children = new Children();
                Semaphore sem = ns.semaphore("k", 2, SemaphoreOptions.undoOnDeath())) {
            ChildProcess holder = hold(children, "k", "undo", "counting", 2, 2, "hold");
            assertEquals(0, sem.availablePermits());
            holder.kill();
            assertTrue(holder.join(BOUND));
            // The waiter itself finds the dead holder: nobody calls gc.
            assertTrue(sem.tryAcquire(2, BOUND), "the dead holder's permits never came back");
            assertTrue(sem.previousOwnerDied());
            assertEquals(2, sem.recoveredPermits());
            sem.release();
            assertTrue(sem.previousOwnerDied(), "still holds one inherited permit");
            sem.release();
            assertFalse(sem.previousOwnerDied());
            assertEquals(2, sem.availablePermits());
            assertEquals(0, sem.recoverDeadHolders(), "given back exactly once");
            assertEquals(2, sem.availablePermits());
        }
    }

    @Test
    void shouldWakeASleepingWaiterWhenAHolderExitsWithoutReleasing() throws Exception {
        try (Children children = new Children();
                BoundedSemaphore sem = ns.boundedSemaphore("w", 1, SemaphoreOptions.undoOnDeath())) {
            hold(children, "w", "undo", "bounded", 1, 1, "exit");
            children.joinAllSuccessfully();
            sem.acquire(); // blocks until its own sweep gives the exited holder's permit back
            assertTrue(sem.previousOwnerDied());
            assertEquals(1, sem.heldByThisProcess());
            sem.release();
            assertEquals(1, sem.availablePermits());
        }
    }

    @Test
    void shouldReturnPermitsThroughRecoverDeadHolders() throws Exception {
        try (Children children = new Children();
                Semaphore sem = ns.semaphore("g", 3, SemaphoreOptions.undoOnDeath())) {
            hold(children, "g", "undo", "counting", 3, 1, "exit");
            hold(children, "g", "undo", "counting", 3, 2, "exit");
            children.joinAllSuccessfully();
            assertEquals(0, sem.availablePermits());
            assertEquals(3, sem.recoverDeadHolders());
            assertEquals(3, sem.availablePermits());
            assertEquals(0, sem.recoverDeadHolders());
            assertEquals(3, sem.recoveredPermits());
        }
    }

    @Test
    void shouldRefuseAHolderBeyondTheTableAndAcceptItOnceASlotFrees() throws Exception {
        try (Children children = new Children();
                Semaphore sem = ns.semaphore("t", 3, SemaphoreOptions.undoOnDeath(1))) {
            ChildProcess holder = hold(children, "t", "undo1", "counting", 3, 1, "hold");
            TooManyHoldersException e = assertThrows(TooManyHoldersException.class, sem::tryAcquire);
            assertTrue(e.getMessage().contains("room for 1 holding processes"), e.getMessage());
            assertEquals(2, sem.availablePermits(), "nothing taken");
            holder.kill();
            assertTrue(holder.join(BOUND));
            assertTrue(sem.tryAcquire(), "the dead holder's slot is reclaimed for a new holder");
            assertEquals(3, sem.availablePermits() + sem.heldByThisProcess());
            sem.release();
        }
    }

    @Test
    void shouldKeepThePlainModesDocumentedLossOfADeadHoldersPermit() throws Exception {
        try (Children children = new Children(); Semaphore sem = ns.semaphore("plain", 1)) {
            assertEquals(SemaphoreOptions.plain(), sem.options());
            assertThrows(UnsupportedOperationException.class, sem::heldByThisProcess);
            ChildProcess holder = hold(children, "plain", "plain", "counting", 1, 1, "hold");
            holder.kill();
            assertTrue(holder.join(BOUND));
            assertEquals(0, sem.recoverDeadHolders());
            assertFalse(sem.tryAcquire(Duration.ofMillis(200)), "the plain mode loses a dead holder's permit");
            assertFalse(sem.previousOwnerDied());
            assertEquals(0, sem.recoveredPermits());
            sem.release(); // and any process may still release: no owner
            assertTrue(sem.tryAcquire());
        }
    }

    // ---- repair: an update cut short after each of its steps ----------------------------------------

    /** Identities of two processes that have exited: a dead holder D and a dead repairer R. */
    private ProcessId[] deadIds() throws Exception {
        ProcessId[] ids = new ProcessId[2];
        try (Children children = new Children()) {
            for (int i = 0; i < 2; i++) {
                ChildProcess c = hold(children, "scratch", "plain", "counting", 2, 1, "hold");
                ids[i] = Objects.requireNonNull(c.id());
                c.kill();
                assertTrue(c.join(BOUND));
            }
        }
        return ids;
    }

    private static int slot(int i, int field) {
        return SLOTS_OFFSET + 32 * i + field;
    }

    /** Total 5: D (slot 0) holds 2, 3 free; the book held by {@code bookHolder}, nothing journalled yet. */
    private static void setUp(Segment s, ProcessId d, ProcessId bookHolder) {
        s.setLong(STATE_OFFSET, 3);
        s.setLong(slot(0, SLOT_START), d.startTime());
        s.setInt(slot(0, SLOT_PID), d.pid());
        s.setInt(slot(0, SLOT_HELD), 2);
        s.setInt(BOOK_OFFSET, bookHolder.pid());
        s.setLong(BOOK_START_OFFSET, bookHolder.startTime());
    }

    private static void journal(Segment s) {
        s.setInt(J_HELD_OFFSET, s.getInt(slot(0, SLOT_HELD)));
        s.setInt(J_INHERITED_OFFSET, s.getInt(slot(0, SLOT_INHERITED)));
        s.setInt(J_PERMITS_OFFSET, (int) s.getLong(STATE_OFFSET));
        s.setInt(J_ORPHANS_OFFSET, s.getInt(ORPHANS_OFFSET));
        s.setInt(J_PID_OFFSET, s.getInt(slot(0, SLOT_PID)));
        s.setLong(J_RECOVERED_OFFSET, s.getLong(RECOVERED_OFFSET));
        s.setInt(JOURNAL_OFFSET, 1);
    }

    /** One write of an update, as the ledger makes it after the journal entry. */
    private interface Step {
        void apply(Segment s);
    }

    private void checkEveryCut(String name, boolean repairerDied, long expectedRecovered, Step... steps)
            throws Exception {
        ProcessId[] dead = deadIds();
        ProcessId d = dead[0];
        for (int cut = 0; cut <= steps.length + 1; cut++) {
            String semName = name + cut;
            try (Semaphore sem = ns.semaphore(semName, 5, SemaphoreOptions.undoOnDeath(4))) {
                Segment s = sem.segment();
                setUp(s, d, repairerDied ? dead[1] : d);
                if (cut > 0) {
                    journal(s);
                    for (int i = 0; i < Math.min(cut - 1, steps.length); i++) {
                        steps[i].apply(s);
                    }
                    if (cut == steps.length + 1) {
                        s.setInt(JOURNAL_OFFSET, 0); // committed, killed before freeing the book
                    }
                }
                int returned = sem.recoverDeadHolders();
                String at = name + " cut after step " + cut;
                boolean committed = cut == steps.length + 1;
                long recovered = committed ? expectedRecovered : 2;
                assertEquals(committed && repairerDied ? 0 : recovered, returned, at);
                assertEquals(recovered, sem.recoveredPermits(), at);
                assertEquals(0, s.getInt(slot(0, SLOT_PID)), at + ": dead slot freed");
                assertTrue(sem.tryAcquire(5), at + ": permits conserved exactly"); // takes the book over if need be
                assertEquals(recovered > 0, sem.previousOwnerDied(), at);
                assertEquals(0, s.getInt(JOURNAL_OFFSET), at);
                sem.release(5);
                assertEquals(5, sem.availablePermits(), at);
                assertEquals(0, s.getInt(BOOK_OFFSET), at + ": book freed");
            }
        }
    }

    @Test
    void shouldLetAWaiterRollBackAFirstTakeKilledBeforeItClaimedASlot() throws Exception {
        // The case no dead slot shows: D took the last permit (CAS done) but died before writing its
        // pid into a free slot. Only the journal tells; a waiter must still find it and roll it back.
        ProcessId d = deadIds()[0];
        try (Semaphore sem = ns.semaphore("first", 1, SemaphoreOptions.undoOnDeath(2))) {
            Segment s = sem.segment();
            s.setInt(BOOK_OFFSET, d.pid());
            s.setLong(BOOK_START_OFFSET, d.startTime());
            journal(s); // slot 0: free
            s.setLong(STATE_OFFSET, 0);
            s.setLong(slot(0, SLOT_START), d.startTime()); // the claim's first store, not its pid
            assertEquals(0, sem.availablePermits());
            assertTrue(sem.tryAcquire(BOUND), "the permit of a take cut short never came back");
            assertFalse(sem.previousOwnerDied(), "the dead taker never held it: nobody to tell");
            assertEquals(0, sem.recoveredPermits());
            sem.release();
            assertEquals(1, sem.availablePermits());
            assertEquals(0, s.getInt(JOURNAL_OFFSET));
        }
    }

    @Test
    void shouldRollBackATakeCutShortAtAnyStep() throws Exception {
        checkEveryCut("take", false, 3,
                s -> s.setLong(STATE_OFFSET, s.getLong(STATE_OFFSET) - 1),
                s -> s.setInt(slot(0, SLOT_HELD), 3));
    }

    @Test
    void shouldRollBackAReleaseCutShortAtAnyStep() throws Exception {
        checkEveryCut("give", false, 0,
                s -> s.setLong(STATE_OFFSET, s.getLong(STATE_OFFSET) + 2),
                s -> s.setInt(slot(0, SLOT_HELD), 0),
                s -> s.setInt(slot(0, SLOT_PID), 0));
    }

    @Test
    void shouldRollBackAReclaimCutShortAtAnyStepWithoutReturningTwice() throws Exception {
        checkEveryCut("reclaim", true, 2,
                s -> s.setLong(STATE_OFFSET, s.getLong(STATE_OFFSET) + 2),
                s -> s.setInt(ORPHANS_OFFSET, 2),
                s -> s.setLong(RECOVERED_OFFSET, 2),
                s -> s.setInt(slot(0, SLOT_HELD), 0),
                s -> s.setInt(slot(0, SLOT_PID), 0));
    }
}
