package dev.procsync.reactive.shm;

import dev.procsync.reactive.ReactiveEvent;
import dev.procsync.internal.engine.Poller;
import dev.procsync.reactive.poller.WaitMono;
import dev.procsync.sync.Event;
import dev.procsync.sync.Watch;
import java.time.Duration;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@link ReactiveEvent} over a core {@link Event}. A pending {@link #await()} registers one
 * sleeper through {@link Event#armAwait()} and completes once the flag has been raised since it
 * registered, even if it was cleared again before the poller looked (the core event counts
 * raises). Waiters of one handle are tried oldest first, and every one is tried while they
 * succeed: if the oldest still sees no raise since it registered, no later one can (the raise
 * count only grows), so the poller stops there.
 */
final class ShmEvent implements ReactiveEvent {
    private final Event event;
    private final Supplier<Scheduler> scheduler;

    ShmEvent(Event event, Supplier<Scheduler> scheduler) {
        this.event = event;
        this.scheduler = scheduler;
    }

    @Override
    public String name() {
        return event.name();
    }

    @Override
    public Mono<Void> set() {
        return Mono.fromRunnable(event::set);
    }

    @Override
    public Mono<Void> clear() {
        return Mono.fromRunnable(event::clear);
    }

    @Override
    public Mono<Boolean> isSet() {
        return Mono.fromSupplier(event::isSet);
    }

    @Override
    public Mono<Void> await() {
        return new WaitMono<Object>(Operation::new, scheduler, null, false).then();
    }

    @Override
    public Mono<Void> await(Duration timeout) {
        return new WaitMono<Object>(Operation::new, scheduler, Timeouts.check(timeout), false)
                .then();
    }

    String describe() {
        return "event '" + event.name() + "'";
    }

    @Override
    public void close() {
        event.close();
        Poller.shared().nudge();
    }

    @Override
    public String toString() {
        return "Reactive" + event;
    }

    /** One subscription's await. The marker it yields is never emitted (the Mono completes empty). */
    private final class Operation extends WatchOperation<Object> {
        @Override
        protected boolean tryNow() {
            return event.isSet();
        }

        @Override
        protected Watch register() {
            return event.armAwait();
        }

        @Override
        protected Object taken() {
            return Boolean.TRUE;
        }

        @Override
        public void giveBack(Object taken) {
            // seeing a raised flag takes nothing
        }

        @Override
        public Object key() {
            return ShmEvent.this;
        }

        @Override
        public String describe() {
            return ShmEvent.this.describe();
        }
    }
}
