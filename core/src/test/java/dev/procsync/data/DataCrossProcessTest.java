package dev.procsync.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.SegmentMismatchException;
import dev.procsync.SegmentNotFoundException;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try")
class DataCrossProcessTest {
    static final int ELEMENTS = 16;
    static final int DOUBLES = 1_000_000;

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("xdata");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    /** Child: n atomic increments of a SharedLong, and n/100 of every element of a long and an int array. */
    public static final class Incrementer {
        public static void main(String[] args) {
            int n = Integer.parseInt(args[2]);
            try (Namespace ns = TempRoot.openFromArgs(args); SharedLong total = SharedLong.open(ns, "total");
                    SharedLongArray longs = SharedLongArray.open(ns, "longs", ELEMENTS);
                    SharedIntArray ints = SharedIntArray.open(ns, "ints", ELEMENTS);
                    SharedDouble sum = SharedDouble.open(ns, "sum")) {
                for (int i = 0; i < n; i++) {
                    total.incrementAndGet();
                    if (i % 100 == 0) {
                        for (int e = 0; e < ELEMENTS; e++) {
                            longs.incrementAndGet(e);
                            ints.getAndAdd(e, 2);
                        }
                        sum.addAndGet(0.5);
                    }
                }
            }
        }
    }

    /** Child: fills the million-double array with one bulk copy. */
    public static final class Filler {
        public static void main(String[] args) {
            try (Namespace ns = TempRoot.openFromArgs(args);
                    SharedDoubleArray array = SharedDoubleArray.open(ns, "doubles", DOUBLES)) {
                double[] values = new double[DOUBLES];
                for (int i = 0; i < DOUBLES; i++) {
                    values[i] = Math.sqrt(i) + 0.25;
                }
                array.copyFrom(values, 0, 0, DOUBLES);
            }
        }
    }

    /** Child: attaches to the parent's block, checks it, answers, exercises a failed attach, unlinks. */
    public static final class Attacher {
        public static void main(String[] args) {
            try (Namespace ns = TempRoot.openFromArgs(args); SharedMemory block = SharedMemory.attach(ns, "blk")) {
                check(block.size() == 5000, "size from the block: " + block.size());
                ByteBuffer buf = block.buffer();
                byte[] hello = new byte[5];
                buf.get(0, hello);
                check("hello".equals(new String(hello, StandardCharsets.US_ASCII)), "content");
                buf.put(4999, (byte) 77);
                try {
                    SharedMemory.attach(ns, "val");
                    check(false, "attaching a value as shared memory must fail");
                } catch (SegmentMismatchException expected) {
                    check(ns.exists("val"), "a failed attach must leave the file");
                }
                block.close();
                block.unlink();
                System.out.println("UNLINKED");
            }
        }
    }

    /** Child: sets args[2] times a value whose every byte equals its length (1..64), varying the length. */
    public static final class BytesWriter {
        public static void main(String[] args) {
            int n = Integer.parseInt(args[2]);
            int seed = Integer.parseInt(args[3]);
            try (Namespace ns = TempRoot.openFromArgs(args); SharedBytes value = SharedBytes.open(ns, "text", 64)) {
                for (int i = 0; i < n; i++) {
                    int length = 1 + (i * 31 + seed) % 64;
                    byte[] bytes = new byte[length];
                    java.util.Arrays.fill(bytes, (byte) length);
                    value.set(bytes);
                }
            }
        }
    }

    @Test
    void shouldCountExactlyWithAtomicsFromThreeProcesses() throws Exception {
        try (Children children = new Children(); SharedLong total = SharedLong.open(ns, "total");
                SharedLongArray longs = SharedLongArray.open(ns, "longs", ELEMENTS);
                SharedIntArray ints = SharedIntArray.open(ns, "ints", ELEMENTS);
                SharedDouble sum = SharedDouble.open(ns, "sum")) {
            for (int i = 0; i < 3; i++) {
                children.start(Incrementer.class, root.childArgs("xdata", "100000"));
            }
            children.joinAllSuccessfully();
            assertEquals(300_000, total.get());
            for (int e = 0; e < ELEMENTS; e++) {
                assertEquals(3_000, longs.get(e), "long element " + e);
                assertEquals(6_000, ints.get(e), "int element " + e);
            }
            assertEquals(1_500.0, sum.get(), "double CAS loop loses nothing");
        }
    }

    @Test
    void shouldReadAMillionDoublesBulkFilledByAnotherProcess() throws Exception {
        try (Children children = new Children();
                SharedDoubleArray array = SharedDoubleArray.open(ns, "doubles", DOUBLES)) {
            children.start(Filler.class, root.childArgs("xdata"));
            children.joinAllSuccessfully();
            double[] back = new double[DOUBLES];
            array.copyTo(0, back, 0, DOUBLES);
            double[] expected = new double[DOUBLES];
            for (int i = 0; i < DOUBLES; i++) {
                expected[i] = Math.sqrt(i) + 0.25;
            }
            assertArrayEquals(expected, back);
        }
    }

    @Test
    void shouldShareAttachAndUnlinkOnceAcrossProcesses() throws Exception {
        try (Children children = new Children(); SharedMemory block = SharedMemory.create(ns, "blk", 5000);
                SharedLong val = SharedLong.open(ns, "val")) {
            block.buffer().put(0, "hello".getBytes(StandardCharsets.US_ASCII));
            children.start(Attacher.class, root.childArgs("xdata")).awaitLine("UNLINKED"::equals, Children.JOIN);
            children.joinAllSuccessfully();
            assertEquals(77, block.buffer().get(4999), "the child's write, through our mapping");
            assertTrue(ns.exists("val"));
            assertTrue(!ns.exists("blk"));
            SegmentNotFoundException e = assertThrows(SegmentNotFoundException.class, block::unlink);
            assertTrue(e.getMessage().contains("already unlinked"), e.getMessage());
            assertThrows(SegmentNotFoundException.class, () -> SharedMemory.attach(ns, "blk"));
            val.set(1);
        }
    }

    @Test
    void shouldNeverReadATornBytesValueWhileTwoProcessesWrite() throws Exception {
        try (Children children = new Children(); SharedBytes value = SharedBytes.open(ns, "text", 64)) {
            children.start(BytesWriter.class, root.childArgs("xdata", "300000", "1"));
            children.start(BytesWriter.class, root.childArgs("xdata", "300000", "2"));
            int reads = 0;
            int changes = 0;
            int last = -1;
            long deadline = System.nanoTime() + Children.JOIN.toNanos();
            while (value.length() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the writers' JVMs are still starting
            }
            while (children.all().stream().anyMatch(c -> c.isAlive()) && System.nanoTime() < deadline) {
                byte[] seen = value.get();
                reads++;
                for (byte b : seen) {
                    assertEquals(seen.length, b, "torn read: length " + seen.length + " with byte " + b);
                }
                if (seen.length != last) {
                    changes++;
                    last = seen.length;
                }
            }
            children.joinAllSuccessfully();
            assertTrue(changes > 1, "the reads overlapped the writes: " + changes + " changes in " + reads + " reads");
        }
    }
}
