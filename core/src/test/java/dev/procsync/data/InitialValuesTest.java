package dev.procsync.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.SegmentMismatchException;
import dev.procsync.process.ChildProcess;
import dev.procsync.sync.Lock;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Initial values, as Python's {@code Value('q', 5)} / {@code Array('d', [..])}: applied by the creator only. */
class InitialValuesTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("initial");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    @Test
    void shouldStartScalarsAtTheirInitialValueAndIgnoreItOnReopen() {
        try (SharedLong l = ns.sharedLong("l", 5); SharedInt i = ns.sharedInt("i", -7);
                SharedDouble d = ns.sharedDouble("d", 2.5); SharedBoolean b = ns.sharedBoolean("b", true)) {
            assertEquals(5, l.get());
            assertEquals(-7, i.get());
            assertEquals(2.5, d.get());
            assertTrue(b.get());
            l.incrementAndGet();
            try (SharedLong again = ns.sharedLong("l", 99); SharedLong plain = ns.sharedLong("l");
                    SharedBoolean b2 = ns.sharedBoolean("b", false)) {
                assertEquals(6, again.get(), "an existing value keeps its value: only the creator applies initial");
                assertEquals(6, plain.get());
                assertTrue(b2.get());
            }
            assertThrows(SegmentMismatchException.class, () -> ns.sharedInt("l", 5), "the type still must match");
        }
    }

    @Test
    void shouldCreateArraysFromValuesAndIgnoreOtherValuesOnReopen() {
        long[] values = {1, 2, 3};
        try (SharedLongArray a = ns.longArray("a", values); SharedIntArray ia = ns.intArray("ia", new int[] {4, 5});
                SharedDoubleArray da = ns.doubleArray("da", new double[] {0.5}); Lock lock = ns.lock("lk");
                SharedByteArray ba = SharedByteArray.open(ns, "ba", new byte[] {9, 8, 7}, lock)) {
            values[0] = 100; // the factory copied them
            assertEquals(3, a.length());
            assertEquals(1, a.get(0));
            assertEquals(3, a.get(2));
            assertEquals(5, ia.get(1));
            assertEquals(0.5, da.get(0));
            assertEquals(7, ba.get(2));
            assertTrue(ba.getLock() == lock);
            a.set(1, 20);
            try (SharedLongArray again = ns.longArray("a", new long[] {7, 7, 7});
                    SharedLongArray byLength = ns.longArray("a", 3)) {
                assertEquals(20, again.get(1), "only the creator applies the values");
                assertEquals(1, byLength.get(0));
            }
            assertThrows(SegmentMismatchException.class, () -> ns.longArray("a", new long[] {1, 2}),
                    "the length still must match");
            assertThrows(IllegalArgumentException.class, () -> ns.longArray("empty", new long[0]));
            assertFalse(ns.exists("empty"));
        }
    }

    /** Child: opens "v" with initial 1000 and array "arr" with other values, prints what it sees, adds one. */
    public static final class Opener {
        public static void main(String[] args) {
            try (Namespace ns = TempRoot.openFromArgs(args); SharedLong v = ns.sharedLong("v", 1000);
                    SharedIntArray arr = ns.intArray("arr", new int[] {0, 0, 0})) {
                System.out.println("SEEN " + v.getAndAdd(1) + " " + Arrays.toString(arr.toArray()));
            }
        }
    }

    @Test
    void shouldApplyTheInitialValueOnlyInTheCreatingProcess() throws Exception {
        try (Children children = new Children(); SharedLong v = ns.sharedLong("v", 42);
                SharedIntArray arr = ns.intArray("arr", new int[] {3, 1, 4})) {
            ChildProcess child = children.start(Opener.class, root.childArgs("initial"));
            String seen = child.awaitLine(l -> l.startsWith("SEEN "), Children.JOIN);
            children.joinAllSuccessfully();
            assertEquals("SEEN 42 [3, 1, 4]", seen);
            assertEquals(43, v.get());
            assertEquals(3, arr.length());
        }
    }

    @Test
    void shouldStartAtTheChildsInitialValueWhenTheChildCreates() throws Exception {
        try (Children children = new Children()) {
            ChildProcess child = children.start(Opener.class, root.childArgs("initial"));
            assertEquals("SEEN 1000 [0, 0, 0]", child.awaitLine(l -> l.startsWith("SEEN "), Children.JOIN));
            children.joinAllSuccessfully();
            try (SharedLong v = ns.sharedLong("v", 5)) {
                assertEquals(1001, v.get());
            }
        }
    }
}
