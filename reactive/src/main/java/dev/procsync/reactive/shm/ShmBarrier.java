package dev.procsync.reactive.shm;

import dev.procsync.reactive.ReactiveBarrier;
import dev.procsync.internal.engine.Poller;
import dev.procsync.reactive.poller.WaitMono;
import dev.procsync.reactive.poller.WaitOperation;
import dev.procsync.sync.Barrier;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@link ReactiveBarrier} over a core {@link Barrier} (opened without an action): blocking and
 * reactive parties in any processes fill the same rounds. An arrival goes through
 * {@link Barrier#tryArrive()} and is then polled by the poller each time the state word changes
 * (every phase change wakes it). Cancelling or timing out a pending arrival breaks the round for
 * every party, as a timed-out Python {@code wait()} does; an arrival cannot be taken back.
 */
final class ShmBarrier implements ReactiveBarrier {
    private final Barrier barrier;
    private final Supplier<Scheduler> scheduler;

    ShmBarrier(Barrier barrier, Supplier<Scheduler> scheduler) {
        this.barrier = barrier;
        this.scheduler = scheduler;
    }

    @Override
    public String name() {
        return barrier.name();
    }

    @Override
    public int parties() {
        return barrier.parties();
    }

    @Override
    public Mono<Integer> arrive() {
        return new WaitMono<>(Arrive::new, scheduler, null, true);
    }

    @Override
    public Mono<Integer> arrive(Duration timeout) {
        return new WaitMono<>(Arrive::new, scheduler, Timeouts.check(timeout), true);
    }

    @Override
    public Mono<Void> abort() {
        return Mono.fromRunnable(barrier::abort);
    }

    @Override
    public Mono<Void> reset() {
        return Mono.fromRunnable(barrier::reset);
    }

    String describe() {
        return "barrier '" + barrier.name() + "'";
    }

    @Override
    public void close() {
        barrier.close();
        Poller.shared().nudge();
    }

    @Override
    public String toString() {
        return "Reactive" + barrier;
    }

    /**
     * One subscription's arrival. Each is its own poller queue: a pending arrival must not hold
     * back the arrival that would trip its round.
     */
    private final class Arrive implements WaitOperation<Integer> {
        private volatile Barrier.@Nullable Arrival arrival;
        private volatile boolean abandoned;

        @Override
        public @Nullable Integer tryTake(boolean sweep) {
            try {
                Barrier.Arrival a = arrival;
                if (a == null) {
                    a = barrier.tryArrive();
                    if (a == null) {
                        return null; // the previous round is still draining
                    }
                    arrival = a;
                    // Published before reading abandoned; abandon() sets it before reading arrival.
                    if (abandoned) {
                        a.cancel();
                        return null;
                    }
                }
                int index = a.poll();
                return index >= 0 ? index : null;
            } catch (BrokenBarrierException e) {
                throw new CheckedFailure(e);
            }
        }

        @Override
        public long arm() {
            return barrier.watchValue() & 0xFFFF_FFFFL;
        }

        @Override
        public long address() {
            return barrier.watchAddress();
        }

        @Override
        public void abandon() {
            abandoned = true;
            Barrier.Arrival a = arrival;
            if (a != null) {
                a.cancel();
            }
        }

        @Override
        public void giveBack(Integer taken) {
            // The round tripped for this party: there is nothing to give back.
        }

        @Override
        public Object key() {
            return this;
        }

        @Override
        public String describe() {
            return ShmBarrier.this.describe();
        }
    }
}
