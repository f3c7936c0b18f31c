package dev.procsync.futex;

import dev.procsync.layout.HeaderLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import dev.procsync.testing.TempRoot;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FutexTest {
    static final int A = HeaderLayout.LENGTH;
    static final int B = HeaderLayout.LENGTH + 64;

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("futex");
    private final Segment seg = ns.createOrOpen("words", SegmentSpec.of(SegmentKind.VALUE, 128), s -> { });

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    @Test
    void shouldReturnValueChangedWhenWordDiffers() {
        assertEquals(WaitResult.VALUE_CHANGED, Futex.await(seg.address(A), 1, 1_000_000_000L));
    }

    @Test
    void shouldTimeOutOnRelativeTimeout() {
        long start = System.nanoTime();
        assertEquals(WaitResult.TIMED_OUT, Futex.await(seg.address(A), 0, 20_000_000L));
        assertTrue(System.nanoTime() - start >= 20_000_000L);
    }

    @Test
    void shouldWakeASleeper() throws Exception {
        CompletableFuture<WaitResult> sleeper = CompletableFuture.supplyAsync(() -> seg.await(A, 0, 10_000_000_000L));
        // Keep waking until the sleeper reports: the wake may precede its sleep, which is fine.
        while (!sleeper.isDone()) {
            seg.setIntRelease(A, 0);
            if (seg.wake(A, 1) == 0) {
                Thread.onSpinWait();
            }
        }
        assertTrue(sleeper.get(10, TimeUnit.SECONDS).isSuccess());
    }

    @Test
    void shouldReportWhichWordWokeAWaitVector() throws Exception {
        assertTrue(Futex.waitvSupported(), "this kernel (" + System.getProperty("os.version")
                + ") is >= 5.16 and must support futex_waitv");
        WaitVector v = new WaitVector(2);
        v.add(seg.address(A), 0);
        int indexOfB = v.add(seg.address(B), 0);
        CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> Futex.awaitAny(v, 10_000_000_000L));
        while (!waiter.isDone()) {
            if (seg.wake(B, 1) == 0) {
                Thread.onSpinWait();
            }
        }
        assertEquals(indexOfB, waiter.get(10, TimeUnit.SECONDS));
        seg.setIntRelease(A, 5);
        assertEquals(Futex.AWAIT_ANY_VALUE_CHANGED, Futex.awaitAny(v, 1_000_000_000L));
        seg.setIntRelease(A, 0);
        assertEquals(Futex.AWAIT_ANY_TIMED_OUT, Futex.awaitAny(v, 5_000_000L));
    }

    @Test
    void shouldMeasureMonotonicClockLikeNanoTime() {
        long a = Futex.monotonicNanos();
        long b = System.nanoTime();
        assertTrue(Math.abs(b - a) < 1_000_000_000L, "CLOCK_MONOTONIC and nanoTime disagree: " + a + " vs " + b);
    }
}
