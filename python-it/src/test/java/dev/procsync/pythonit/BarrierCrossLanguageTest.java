package dev.procsync.pythonit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.pythonit.Python.Backend;
import dev.procsync.pythonit.Python.Peer;
import dev.procsync.sync.Barrier;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A Barrier whose parties are this JVM, a child JVM and two Python processes, over many rounds. */
class BarrierCrossLanguageTest {
    static final int PARTIES = 4;
    static final int ROUNDS = 25;

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("xbarrier");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /** Child JVM: one party for {@code args[2]} rounds. */
    public static final class Party {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Barrier b = ns.barrier("b", PARTIES)) {
                int rounds = Integer.parseInt(args[2]);
                for (int r = 0; r < rounds; r++) {
                    b.await(Duration.ofSeconds(60));
                }
            }
        }
    }

    @Test
    void shouldTripEveryRoundWithJvmAndPythonParties() throws Exception {
        try (Barrier barrier = ns.barrier("b", PARTIES); Children jvms = new Children();
                Peer extension = Python.peer(Backend.EXTENSION, root.path(), "xbarrier", "barrier", "" + PARTIES,
                        "" + ROUNDS);
                Peer fallback = Python.peer(Backend.CTYPES, root.path(), "xbarrier", "barrier", "" + PARTIES,
                        "" + ROUNDS)) {
            jvms.start(Party.class, root.childArgs("xbarrier", "" + ROUNDS));
            Set<Integer> mine = new HashSet<>();
            for (int r = 0; r < ROUNDS; r++) {
                mine.add(barrier.await(Duration.ofSeconds(60)));
            }
            String ext = extension.awaitLine("PASSED", Python.JOIN);
            String ctypes = fallback.awaitLine("PASSED", Python.JOIN);
            extension.joinSuccessfully();
            fallback.joinSuccessfully();
            jvms.joinAllSuccessfully();
            for (String line : List.of(ext, ctypes)) {
                assertEquals(ROUNDS, line.substring("PASSED [".length(), line.length() - 1).split(", ").length, line);
            }
            assertTrue(mine.stream().allMatch(i -> i >= 0 && i < PARTIES), mine.toString());
            assertTrue(!barrier.isBroken());
        }
    }
}
