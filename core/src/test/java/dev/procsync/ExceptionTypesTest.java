package dev.procsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.channel.Connection;
import dev.procsync.channel.JoinableQueue;
import dev.procsync.channel.Pipe;
import dev.procsync.channel.PipeEndUnavailableException;
import dev.procsync.channel.QueueCapacity;
import dev.procsync.channel.WrongDirectionException;
import dev.procsync.codec.Codecs;
import dev.procsync.process.ChildProcess;
import dev.procsync.sync.BoundedSemaphore;
import dev.procsync.sync.Condition;
import dev.procsync.sync.Lock;
import dev.procsync.sync.RLock;
import dev.procsync.sync.Semaphore;
import dev.procsync.sync.TooManyWaitersException;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One catchable type per condition, each still an {@link IllegalStateException} (what these
 * methods threw before), and closed-ness reported before anything else.
 */
class ExceptionTypesTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("types");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    private static <T extends Throwable> T expect(Class<T> type, org.junit.jupiter.api.function.Executable call,
            String... inMessage) {
        T e = assertThrows(type, call);
        assertTrue(e instanceof ProcsyncException && e instanceof IllegalStateException, e.toString());
        for (String s : inMessage) {
            assertTrue(e.getMessage().contains(s), e.getMessage());
        }
        return e;
    }

    @Test
    void shouldReportEveryOverReleaseAsOverReleaseException() throws Exception {
        try (Lock lock = ns.lock("l"); BoundedSemaphore bounded = ns.boundedSemaphore("b", 1);
                Semaphore sem = ns.semaphore("s", Semaphore.MAX_PERMITS);
                JoinableQueue<String> q = ns.joinableQueue("q", Codecs.utf8(), QueueCapacity.messages(4))) {
            expect(OverReleaseException.class, lock::release, "lock 'l'", "released too many times");
            expect(OverReleaseException.class, bounded::release, "'b'", "released too many times");
            expect(OverReleaseException.class, () -> sem.release(1), "'s'", "2147483647");
            expect(OverReleaseException.class, q::taskDone, "taskDone() called too many times");
            q.put("x");
            q.get();
            q.taskDone();
            expect(OverReleaseException.class, q::taskDone);
        }
    }

    @Test
    void shouldKeepIllegalMonitorStateForNotTheOwner() throws Exception {
        try (RLock rlock = ns.rlock("r")) {
            assertThrows(IllegalMonitorStateException.class, rlock::release, "an RLock has an owner thread");
        }
    }

    @Test
    void shouldReportFullConditionSlotsAsTooManyWaiters() throws Exception {
        try (RLock rlock = ns.rlock("m"); Condition c = ns.condition("c", rlock)) {
            rlock.acquire();
            List<Condition.SlotWait> waits = new ArrayList<>();
            for (int i = 0; i < Condition.SLOTS; i++) {
                waits.add(c.beginWait());
            }
            TooManyWaitersException e = expect(TooManyWaitersException.class, () -> c.await(Duration.ofSeconds(1)),
                    "condition 'c'");
            assertTrue(e.getMessage().contains(Integer.toString(Condition.SLOTS)), e.getMessage());
            assertTrue(rlock.isHeldByCurrentThread(), "nothing changed: the lock is still held");
            waits.forEach(Condition.SlotWait::cancel);
            assertTrue(!c.await(Duration.ZERO));
            rlock.release();
        }
    }

    @Test
    void shouldSayWrongDirectionAndClosedFirst() throws Exception {
        Connection<String> reader = Pipe.end(ns, "p", Pipe.End.A, false, Pipe.MIN_CAPACITY, Codecs.utf8());
        Connection<String> writer = Pipe.end(ns, "p", Pipe.End.B, false, Pipe.MIN_CAPACITY, Codecs.utf8());
        expect(WrongDirectionException.class, () -> writer.recv(), "pipe 'p'", "write-only");
        expect(WrongDirectionException.class, () -> reader.send("x"), "pipe 'p'", "read-only");
        writer.close();
        reader.close();
        expect(ClosedException.class, () -> writer.recv(), "closed");
        expect(ClosedException.class, () -> reader.send("x"), "closed");
    }

    @Test
    void shouldSayWhyAPipeEndIsUnavailable() throws Exception {
        Connection<byte[]> a = Pipe.end(ns, "p", Pipe.End.A, true);
        PipeEndUnavailableException e = expect(PipeEndUnavailableException.class,
                () -> Pipe.end(ns, "p", Pipe.End.A, true), "already open");
        assertEquals(PipeEndUnavailableException.Reason.ALREADY_OPEN, e.reason());
        a.close();
        e = expect(PipeEndUnavailableException.class, () -> Pipe.end(ns, "p", Pipe.End.A, true), "was closed");
        assertEquals(PipeEndUnavailableException.Reason.CLOSED, e.reason());
    }

    /** Child: opens end A of "dead" and is killed holding it. */
    public static final class EndHolder {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            Pipe.end(ns, "dead", Pipe.End.A, true);
            System.out.println("OPEN");
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void shouldSayAPipeEndBelongedToADeadProcess() throws Exception {
        try (Children children = new Children()) {
            ChildProcess child = children.start(EndHolder.class, root.childArgs("types"));
            child.awaitLine("OPEN"::equals, Children.JOIN);
            child.kill();
            child.join(Children.JOIN);
            PipeEndUnavailableException e = expect(PipeEndUnavailableException.class,
                    () -> Pipe.end(ns, "dead", Pipe.End.A, true), "died");
            assertEquals(PipeEndUnavailableException.Reason.OWNER_DIED, e.reason());
        }
    }
}
