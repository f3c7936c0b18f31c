package dev.procsync.reactive.shm;

import dev.procsync.reactive.ReactiveSemaphore;
import dev.procsync.reactive.conformance.ReactiveSemaphoreContract;
import dev.procsync.reactive.testing.Ns;

class ShmSemaphoreTest extends ReactiveSemaphoreContract {
    private final Ns ns = new Ns("rxsem");

    @Override
    protected ReactiveSemaphore open(String name, int permits) {
        return ns.rx.semaphore(name, permits);
    }

    @Override
    protected void tearDown() {
        ns.close();
    }
}
