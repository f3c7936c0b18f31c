package dev.procsync.reactive.shm;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveSemaphore;
import dev.procsync.reactive.poller.Poller;
import dev.procsync.reactive.poller.WaitMono;
import dev.procsync.sync.Semaphore;
import dev.procsync.sync.Watch;
import java.time.Duration;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@link ReactiveSemaphore} over a core {@link Semaphore}: the same permit word, so blocking and
 * reactive users in any processes share the permits. Each pending acquire registers one sleeper
 * through {@link Semaphore#armAcquire()}.
 */
class ShmSemaphore implements ReactiveSemaphore {
    /** The core operations both semaphore kinds offer (they share no Java type in core). */
    interface Core extends AutoCloseable {
        String name();

        boolean tryAcquire();

        Watch armAcquire();

        void release(int permits);

        int availablePermits();

        @Override
        void close();
    }

    private final Core semaphore;
    private final String kind;
    private final Supplier<Scheduler> scheduler;

    ShmSemaphore(Semaphore semaphore, Supplier<Scheduler> scheduler) {
        this(new Core() {
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
        }, "semaphore", scheduler);
    }

    ShmSemaphore(Core semaphore, String kind, Supplier<Scheduler> scheduler) {
        this.semaphore = semaphore;
        this.kind = kind;
        this.scheduler = scheduler;
    }

    @Override
    public final String name() {
        return semaphore.name();
    }

    @Override
    public Mono<Permit> acquire() {
        return new WaitMono<>(Operation::new, scheduler, null, true);
    }

    @Override
    public Mono<Permit> acquire(Duration timeout) {
        return new WaitMono<>(Operation::new, scheduler, Timeouts.check(timeout, this::describe), true);
    }

    @Override
    public Mono<Permit> tryAcquire() {
        return Mono.fromSupplier(() -> semaphore.tryAcquire() ? newPermit() : null);
    }

    @Override
    public Mono<Void> release(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("release of " + describe() + " needs at least 1 permit: " + permits);
        }
        return Mono.fromRunnable(() -> semaphore.release(permits));
    }

    @Override
    public Mono<Integer> availablePermits() {
        return Mono.fromSupplier(semaphore::availablePermits);
    }

    private Permit newPermit() {
        return new ShmPermit(() -> semaphore.release(1), describe());
    }

    String describe() {
        return kind + " '" + semaphore.name() + "'";
    }

    @Override
    public void close() {
        semaphore.close();
        Poller.shared().nudge();
    }

    @Override
    public String toString() {
        return "Reactive" + semaphore;
    }

    /** One subscription's acquire: a sleeper registered through the semaphore's watch hook. */
    private final class Operation extends WatchOperation<Permit> {
        @Override
        protected boolean tryNow() {
            return semaphore.tryAcquire();
        }

        @Override
        protected Watch register() {
            return semaphore.armAcquire();
        }

        @Override
        protected Permit taken() {
            return newPermit();
        }

        @Override
        public void giveBack(Permit taken) {
            taken.close();
        }

        @Override
        public Object key() {
            return ShmSemaphore.this;
        }

        @Override
        public String describe() {
            return ShmSemaphore.this.describe();
        }
    }
}
