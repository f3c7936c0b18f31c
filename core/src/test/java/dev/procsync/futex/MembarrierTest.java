package dev.procsync.futex;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class MembarrierTest {
    @Test
    void shouldRegisterAndFenceEveryoneWhereTheKernelHasTheExpeditedCommands() {
        assumeTrue(Membarrier.isAvailable(), "this kernel has no MEMBARRIER_CMD_GLOBAL_EXPEDITED");
        assertTrue(Membarrier.register());
        assertTrue(Membarrier.isRegistered());
        assertTrue(Membarrier.register(), "registering again is a no-op that still says yes");
        assertDoesNotThrow(Membarrier::fenceEveryone);
    }
}
