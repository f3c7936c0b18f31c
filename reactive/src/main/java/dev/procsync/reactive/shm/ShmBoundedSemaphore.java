package dev.procsync.reactive.shm;

import dev.procsync.reactive.ReactiveBoundedSemaphore;
import dev.procsync.sync.BoundedSemaphore;
import java.util.function.Supplier;
import reactor.core.scheduler.Scheduler;

/** {@link ReactiveBoundedSemaphore} over a core {@link BoundedSemaphore}. */
final class ShmBoundedSemaphore extends ShmSemaphore implements ReactiveBoundedSemaphore {
    private final int bound;

    ShmBoundedSemaphore(BoundedSemaphore semaphore, Supplier<Scheduler> scheduler) {
        super(semaphore, "bounded semaphore", scheduler);
        this.bound = semaphore.bound();
    }

    @Override
    public int bound() {
        return bound;
    }
}
