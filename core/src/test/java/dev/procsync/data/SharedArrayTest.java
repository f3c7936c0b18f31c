package dev.procsync.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.ClosedException;
import dev.procsync.Namespace;
import dev.procsync.SegmentMismatchException;
import dev.procsync.testing.TempRoot;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try")
class SharedArrayTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("arrays");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    @Test
    void shouldHoldAMillionDoublesAndCopyRangesWithOffsets() {
        int n = 1_000_000;
        double[] src = new double[n + 10];
        for (int i = 0; i < src.length; i++) {
            src[i] = i * 0.5;
        }
        try (SharedDoubleArray a = SharedDoubleArray.open(ns, "big", n);
                SharedDoubleArray b = SharedDoubleArray.open(ns, "big", n)) {
            assertEquals(n, b.length());
            a.copyFrom(src, 10, 0, n);
            double[] back = new double[n + 5];
            b.copyTo(0, back, 5, n);
            for (int i = 0; i < n; i++) {
                assertEquals((i + 10) * 0.5, back[i + 5]);
            }
            assertEquals(10 * 0.5, b.get(0));
            assertEquals((n - 1 + 10) * 0.5, b.get(n - 1));
            b.set(3, -1.25);
            assertEquals(-1.25, a.toArray()[3]);
        }
    }

    @Test
    void shouldCopyRawLittleEndianBytesToAndFromBuffers() {
        try (SharedIntArray a = SharedIntArray.open(ns, "ints", 8)) {
            ByteBuffer src = ByteBuffer.allocate(3 + 12).order(ByteOrder.LITTLE_ENDIAN);
            src.position(3);
            src.putInt(7).putInt(8).putInt(9).position(3);
            a.copyFrom(src, 4, 3);
            assertEquals(15, src.position(), "source position advances");
            assertArrayEquals(new int[] {0, 0, 0, 0, 7, 8, 9, 0}, a.toArray());
            ByteBuffer dst = ByteBuffer.allocateDirect(16).order(ByteOrder.BIG_ENDIAN);
            a.copyTo(4, dst, 2);
            assertEquals(8, dst.position());
            dst.flip().order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(7, dst.getInt());
            assertEquals(8, dst.getInt());
            assertThrows(BufferOverflowException.class, () -> a.copyTo(0, ByteBuffer.allocate(3), 1));
        }
        try (SharedByteArray bytes = SharedByteArray.open(ns, "bytes", 4)) {
            bytes.copyFrom(new byte[] {1, 2, 3}, 0, 1, 3);
            bytes.set(0, (byte) -1);
            assertArrayEquals(new byte[] {-1, 1, 2, 3}, bytes.toArray());
            assertEquals(3, bytes.get(3));
        }
    }

    @Test
    void shouldDoElementAtomicsOnIntAndLong() {
        try (SharedLongArray longs = SharedLongArray.open(ns, "l", 3); SharedIntArray ints = SharedIntArray.open(ns,
                "i", 3)) {
            assertEquals(1, longs.incrementAndGet(2));
            assertEquals(1, longs.getAndAdd(2, 10));
            assertEquals(21, longs.addAndGet(2, 10));
            assertEquals(21, longs.getAndSet(2, 5));
            assertTrue(longs.compareAndSet(2, 5, 6));
            assertArrayEquals(new long[] {0, 0, 6}, longs.toArray());
            assertEquals(1, ints.incrementAndGet(0));
            assertTrue(ints.compareAndSet(0, 1, 2));
            assertEquals(2, ints.getAndSet(0, 4));
            assertEquals(4, ints.get(0));
        }
    }

    @Test
    void shouldNameArrayIndexAndLengthWhenOutOfBounds() {
        try (SharedLongArray a = SharedLongArray.open(ns, "small", 4)) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> a.get(4));
            assertTrue(e.getMessage().contains("'small'") && e.getMessage().contains("index 4")
                    && e.getMessage().contains("length 4"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> a.set(-1, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> a.incrementAndGet(99));
            assertThrows(IndexOutOfBoundsException.class, () -> a.copyTo(2, new long[8], 0, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> a.copyTo(0, new long[8], 0, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> a.copyFrom(new long[2], 0, 0, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> a.copyTo(0, new long[2], 1, 2));
        }
    }

    @Test
    void shouldRejectBadLengthsAndMismatchedReopen() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> SharedDoubleArray.open(ns, "neg", -1));
        assertTrue(bad.getMessage().contains("'neg'") && bad.getMessage().contains("-1"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SharedIntArray.open(ns, "zero", 0));
        assertThrows(IllegalArgumentException.class, () -> SharedLongArray.open(ns, "huge", Integer.MAX_VALUE));
        try (SharedDoubleArray ignored = SharedDoubleArray.open(ns, "a", 10)) {
            SegmentMismatchException e = assertThrows(SegmentMismatchException.class,
                    () -> SharedDoubleArray.open(ns, "a", 11));
            assertTrue(e.getMessage().contains("double[10], not double[11]"), e.getMessage());
            e = assertThrows(SegmentMismatchException.class, () -> SharedLongArray.open(ns, "a", 10));
            assertTrue(e.getMessage().contains("double[10], not long[10]"), e.getMessage());
            assertThrows(SegmentMismatchException.class, () -> SharedLong.open(ns, "a"));
        }
    }

    @Test
    void shouldThrowClosedAfterClose() {
        SharedIntArray a = SharedIntArray.open(ns, "c", 2);
        a.close();
        assertThrows(ClosedException.class, () -> a.get(0));
        assertThrows(ClosedException.class, () -> a.copyTo(0, new int[2], 0, 2));
        assertThrows(ClosedException.class, a::getLock);
    }
}
