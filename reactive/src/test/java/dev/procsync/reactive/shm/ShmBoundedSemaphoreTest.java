package dev.procsync.reactive.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procsync.reactive.ReactiveBoundedSemaphore;
import dev.procsync.reactive.ReactiveSemaphore;
import dev.procsync.reactive.conformance.ReactiveSemaphoreContract;
import dev.procsync.reactive.testing.Ns;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class ShmBoundedSemaphoreTest extends ReactiveSemaphoreContract {
    private final Ns ns = new Ns("rxbsem");

    @Override
    protected ReactiveSemaphore open(String name, int permits) {
        return ns.rx.boundedSemaphore(name, permits);
    }

    @Override
    protected void tearDown() {
        ns.close();
    }

    @Test
    void shouldErrorWhenReleasedPastTheBound() {
        ReactiveBoundedSemaphore bounded = (ReactiveBoundedSemaphore) semaphore;
        assertEquals(PERMITS, bounded.bound());
        StepVerifier.create(bounded.release(1)).expectError(IllegalStateException.class).verify(WAIT);
    }
}
