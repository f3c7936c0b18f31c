package dev.procsync.reactive.shm;

import dev.procsync.reactive.ReactiveBoundedSemaphore;
import dev.procsync.sync.BoundedSemaphore;
import dev.procsync.sync.Watch;
import java.util.function.Supplier;
import reactor.core.scheduler.Scheduler;

/** {@link ReactiveBoundedSemaphore} over a core {@link BoundedSemaphore}. */
final class ShmBoundedSemaphore extends ShmSemaphore implements ReactiveBoundedSemaphore {
    private final int bound;

    ShmBoundedSemaphore(BoundedSemaphore semaphore, Supplier<Scheduler> scheduler) {
        super(new Core() {
            @Override
            public String name() {
                return semaphore.name();
            }

            @Override
            public boolean tryAcquire() {
                return semaphore.tryAcquire();
            }

            @Override
            public Watch armAcquire() {
                return semaphore.armAcquire();
            }

            @Override
            public void release(int permits) {
                semaphore.release(permits);
            }

            @Override
            public int availablePermits() {
                return semaphore.availablePermits();
            }

            @Override
            public void close() {
                semaphore.close();
            }

            @Override
            public String toString() {
                return semaphore.toString();
            }
        }, "bounded semaphore", scheduler);
        this.bound = semaphore.bound();
    }

    @Override
    public int bound() {
        return bound;
    }
}
