package dev.procsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.ClosedException;
import dev.procsync.Namespace;
import dev.procsync.SegmentMismatchException;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("events");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    private static CompletableFuture<Boolean> awaitAsync(Event event, Duration timeout) {
        return Waits.async(() -> event.await(timeout));
    }

    @Test
    void shouldStartLoweredAndFollowSetAndClear() {
        try (Event event = ns.event("e")) {
            assertFalse(event.isSet());
            event.set();
            assertTrue(event.isSet());
            event.set(); // idempotent
            assertTrue(event.isSet());
            event.clear();
            assertFalse(event.isSet());
            event.clear(); // idempotent
            assertFalse(event.isSet());
        }
    }

    @Test
    void shouldShareTheFlagBetweenHandlesAndKeepItOnReopen() {
        try (Event a = ns.event("e")) {
            a.set();
            try (Event b = ns.event("e")) {
                assertTrue(b.isSet(), "attaching must never re-initialise");
                b.clear();
            }
            assertFalse(a.isSet());
        }
    }

    @Test
    void shouldReturnFalseAfterTimeoutWhenNotSetAndTrueAtOnceWhenSet() throws InterruptedException {
        try (Event event = ns.event("e")) {
            assertFalse(event.await(Duration.ZERO));
            long start = System.nanoTime();
            assertFalse(event.await(Duration.ofMillis(80)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(80));
            assertFalse(event.await(5, TimeUnit.MILLISECONDS));
            assertEquals(0, event.waiters(), "timed-out waiters must unregister");
            event.set();
            assertTrue(event.await(Duration.ZERO));
            assertTrue(event.await(Duration.ofDays(365)));
            event.await();
        }
    }

    @Test
    void shouldWakeEveryWaitingThreadOnSet() throws Exception {
        try (Event event = ns.event("e")) {
            List<CompletableFuture<Boolean>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiters.add(awaitAsync(event, Duration.ofSeconds(30)));
            }
            Waits.until("waiters", event::waiters, 3);
            event.set();
            for (CompletableFuture<Boolean> w : waiters) {
                assertTrue(w.get(30, TimeUnit.SECONDS));
            }
            assertEquals(0, event.waiters());
        }
    }

    @Test
    void shouldReturnTrueForWaitersOfASetEvenIfClearedRightAfter() throws Exception {
        try (Event event = ns.event("e")) {
            for (int round = 0; round < 20; round++) {
                List<CompletableFuture<Boolean>> waiters = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    waiters.add(awaitAsync(event, Duration.ofSeconds(30)));
                }
                Waits.until("waiters", event::waiters, 2);
                event.set();
                event.clear();
                for (CompletableFuture<Boolean> w : waiters) {
                    assertTrue(w.get(30, TimeUnit.SECONDS), "a waiter registered before set() must see it");
                }
                assertFalse(event.isSet());
            }
        }
    }

    @Test
    void shouldMakeLaterWaitersWaitAfterClear() throws Exception {
        try (Event event = ns.event("e")) {
            event.set();
            event.clear();
            CompletableFuture<Boolean> late = awaitAsync(event, Duration.ofSeconds(30));
            Waits.until("waiters", event::waiters, 1);
            assertFalse(late.isDone(), "a clear lowers the flag for waiters that come after it");
            event.set();
            assertTrue(late.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldThrowInterruptedExceptionWhenWaiterIsInterrupted() throws Exception {
        try (Event event = ns.event("e")) {
            AtomicInteger outcome = new AtomicInteger();
            Thread t = new Thread(() -> {
                try {
                    event.await();
                    outcome.set(1);
                } catch (InterruptedException e) {
                    outcome.set(2);
                }
            });
            t.start();
            Waits.until("waiters", event::waiters, 1);
            t.interrupt();
            t.join(Waits.BOUND.toMillis());
            assertFalse(t.isAlive());
            assertEquals(2, outcome.get());
            assertEquals(0, event.waiters());
        }
    }

    @Test
    void shouldWakeWaitersWithClosedExceptionOnClose() throws Exception {
        try (Event other = ns.event("e")) {
            Event waiting = ns.event("e");
            CompletableFuture<Boolean> waiter = awaitAsync(waiting, Duration.ofSeconds(60));
            Waits.until("waiters", other::waiters, 1);
            waiting.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> waiter.get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof ClosedException, String.valueOf(e.getCause()));
            other.set();
            assertTrue(other.isSet());
        }
    }

    @Test
    void shouldRejectBadInputOtherKindsAndUseAfterClose() {
        Event event = ns.event("e");
        assertThrows(NullPointerException.class, () -> event.await(null));
        assertThrows(SegmentMismatchException.class, () -> ns.semaphore("e", 0));
        assertThrows(SegmentMismatchException.class, () -> ns.lock("e"));
        try (Semaphore sem = ns.semaphore("s", 0)) {
            assertThrows(SegmentMismatchException.class, () -> ns.event("s"));
            assertEquals(0, sem.availablePermits());
        }
        event.close();
        assertThrows(ClosedException.class, event::isSet);
        assertThrows(ClosedException.class, event::set);
        assertThrows(ClosedException.class, event::clear);
        assertThrows(ClosedException.class, event::await);
        assertThrows(ClosedException.class, event::armAwait);
        assertTrue(event.toString().contains("closed"));
    }
}
