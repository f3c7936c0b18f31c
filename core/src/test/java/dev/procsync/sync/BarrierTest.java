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
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

class BarrierTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("barriers");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /** Runs {@code body} in a new thread; completes with its result or exceptionally with what it threw. */
    private static <T> CompletableFuture<T> thread(ThrowingSupplier<T> body) {
        CompletableFuture<T> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                done.complete(body.get());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return done;
    }

    private static Throwable failure(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(30, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure");
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("still waiting after 30 s", e);
        }
    }

    @Test
    void shouldReturnEveryArrivalIndexOnceAndRunTheActionOncePerRound() throws Exception {
        AtomicInteger actions = new AtomicInteger();
        List<Integer> indices = new CopyOnWriteArrayList<>();
        int rounds = 25;
        try (Barrier barrier = ns.barrier("b", 3, actions::incrementAndGet, Duration.ofSeconds(30))) {
            assertEquals(3, barrier.parties());
            List<CompletableFuture<Void>> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                threads.add(thread(() -> {
                    for (int r = 0; r < rounds; r++) {
                        int index = barrier.await();
                        if (index == 2) {
                            assertEquals(r + 1, actions.get(), "the last arriver runs the action before returning");
                        }
                        indices.add(index);
                    }
                    return null;
                }));
            }
            for (CompletableFuture<Void> t : threads) {
                t.get(60, TimeUnit.SECONDS);
            }
            assertEquals(rounds, actions.get());
            for (int i = 0; i < 3; i++) {
                int index = i;
                assertEquals(rounds, indices.stream().filter(x -> x == index).count(), "index " + i);
            }
            assertFalse(barrier.isBroken());
            assertEquals(0, barrier.waitingCount());
        }
    }

    @Test
    void shouldTripAtOnceForOneParty() throws Exception {
        AtomicInteger actions = new AtomicInteger();
        try (Barrier barrier = ns.barrier("one", 1, actions::incrementAndGet, null)) {
            assertEquals(0, barrier.await());
            assertEquals(0, barrier.await(Duration.ZERO));
            assertEquals(2, actions.get());
        }
    }

    @Test
    void shouldBreakForEveryWaiterWhenOneTimesOutUntilReset() throws Exception {
        try (Barrier barrier = ns.barrier("b", 3)) {
            CompletableFuture<Integer> patient = thread(barrier::await);
            Eventually.until("one waiting", () -> barrier.waitingCount() == 1);
            BrokenBarrierException own = assertThrows(BrokenBarrierException.class,
                    () -> barrier.await(Duration.ofMillis(50)));
            assertTrue(own.getMessage().contains("barrier 'b'") && own.getMessage().contains("timed out"),
                    own.getMessage());
            assertTrue(failure(patient) instanceof BrokenBarrierException);
            assertTrue(barrier.isBroken());
            assertThrows(BrokenBarrierException.class, barrier::await, "later arrivals fail at once");

            barrier.reset();
            assertFalse(barrier.isBroken());
            List<CompletableFuture<Integer>> round = List.of(thread(barrier::await), thread(barrier::await));
            assertTrue(barrier.await(Duration.ofSeconds(30)) >= 0);
            for (CompletableFuture<Integer> f : round) {
                assertTrue(f.get(30, TimeUnit.SECONDS) >= 0);
            }
        }
    }

    @Test
    void shouldBreakWaitersOnAbortAndOnResetAndBeReusableAfterReset() throws Exception {
        try (Barrier barrier = ns.barrier("b", 3)) {
            CompletableFuture<Integer> a = thread(barrier::await);
            Eventually.until("one waiting", () -> barrier.waitingCount() == 1);
            barrier.abort();
            assertTrue(failure(a) instanceof BrokenBarrierException);
            assertTrue(barrier.isBroken());
            barrier.reset();
            assertFalse(barrier.isBroken());

            CompletableFuture<Integer> b = thread(barrier::await);
            CompletableFuture<Integer> c = thread(barrier::await);
            Eventually.until("two waiting", () -> barrier.waitingCount() == 2);
            barrier.reset();
            Throwable tb = failure(b);
            assertTrue(tb instanceof BrokenBarrierException && tb.getMessage().contains("reset"), String.valueOf(tb));
            assertTrue(failure(c) instanceof BrokenBarrierException);
            assertFalse(barrier.isBroken(), "reset leaves it usable once the broken round has left");
            Eventually.until("round left", () -> barrier.toString().contains("filling, 0 in"));

            List<CompletableFuture<Integer>> round = List.of(thread(barrier::await), thread(barrier::await));
            barrier.await(Duration.ofSeconds(30));
            for (CompletableFuture<Integer> f : round) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void shouldGiveTheActionsExceptionToTheLastArriverAndBreakForTheOthers() throws Exception {
        try (Barrier waiting = ns.barrier("b", 2);
                Barrier failing = ns.barrier("b", 2, () -> {
                    throw new IllegalStateException("action failed");
                }, null)) {
            CompletableFuture<Integer> first = thread(waiting::await);
            Eventually.until("one waiting", () -> waiting.waitingCount() == 1);
            IllegalStateException e = assertThrows(IllegalStateException.class, failing::await);
            assertEquals("action failed", e.getMessage());
            assertTrue(failure(first) instanceof BrokenBarrierException);
            assertTrue(waiting.isBroken());
        }
    }

    @Test
    void shouldBreakTheBarrierWhenAWaiterIsInterrupted() throws Exception {
        try (Barrier barrier = ns.barrier("b", 3)) {
            AtomicReference<Thread> waiterThread = new AtomicReference<>();
            CompletableFuture<Integer> interrupted = thread(() -> {
                waiterThread.set(Thread.currentThread());
                return barrier.await();
            });
            CompletableFuture<Integer> other = thread(barrier::await);
            Eventually.until("two waiting", () -> barrier.waitingCount() == 2);
            waiterThread.get().interrupt();
            assertTrue(failure(interrupted) instanceof InterruptedException);
            assertTrue(failure(other) instanceof BrokenBarrierException);
            assertTrue(barrier.isBroken());
        }
    }

    @Test
    void shouldRejectBadPartiesTimeoutsAndMismatchedReopen() throws Exception {
        for (int bad : new int[] {0, -1, Barrier.MAX_PARTIES + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ns.barrier("b", bad));
            assertTrue(e.getMessage().contains("barrier 'b'") && e.getMessage().contains(": " + bad), e.getMessage());
        }
        try (Barrier noWait = ns.barrier("one", 1, null, Duration.ofSeconds(-1))) {
            assertEquals(0, noWait.await(), "a negative default timeout means: do not wait");
        }
        try (Barrier barrier = ns.barrier("b", 2)) {
            assertEquals(0, barrier.waitingCount());
            SegmentMismatchException m = assertThrows(SegmentMismatchException.class, () -> ns.barrier("b", 3));
            assertTrue(m.getMessage().contains("parties"), m.getMessage());
            assertThrows(SegmentMismatchException.class, () -> ns.rlock("b"));
        }
        try (Lock lock = ns.lock("l")) {
            assertFalse(lock.isLocked());
            assertThrows(SegmentMismatchException.class, () -> ns.barrier("l", 2));
        }
    }

    @Test
    void shouldWakeItsWaitersWithClosedExceptionBreakTheRoundAndRefuseUseAfterClose() throws Exception {
        try (Barrier other = ns.barrier("b", 3)) {
            Barrier closing = ns.barrier("b", 3);
            CompletableFuture<Integer> mine = thread(closing::await);
            CompletableFuture<Integer> theirs = thread(other::await);
            Eventually.until("two waiting", () -> other.waitingCount() == 2);
            closing.close();
            assertTrue(failure(mine) instanceof ClosedException);
            assertTrue(failure(theirs) instanceof BrokenBarrierException);
            assertThrows(ClosedException.class, closing::await);
            assertThrows(ClosedException.class, closing::reset);
            assertThrows(ClosedException.class, closing::isBroken);
            other.reset();
            Eventually.until("reset took", () -> !other.isBroken() && other.toString().contains("filling, 0 in"));
        }
    }
}
