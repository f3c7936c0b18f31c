package dev.procsync.reactive.poller;

import dev.procsync.internal.engine.Poller;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;

/**
 * A cold {@code Mono} that completes when a {@link WaitOperation} succeeds, waiting through the
 * process's {@link Poller} without blocking a thread.
 *
 * <p>Nothing happens until the subscriber requests. Then the operation is tried once on the
 * requesting thread (an uncontended acquire completes there, synchronously); if that fails the
 * wait is registered with the poller and, with a timeout, a deadline is scheduled on the
 * Scheduler. Completions after registration run on the Scheduler. Cancelling at any point
 * acquires nothing or gives back what was acquired (see {@link Waiter}).
 *
 * @param <T> the emitted value
 */
public final class WaitMono<T> extends Mono<T> {
    private final Supplier<? extends WaitOperation<T>> operation;
    private final Supplier<Scheduler> scheduler;
    private final long timeoutNanos;
    private final @Nullable Duration timeout;
    private final boolean emitValue;
    private final boolean tryOnce;

    /**
     * Creates the publisher.
     *
     * @param operation a fresh operation per subscription
     * @param scheduler where completions and the deadline run (resolved per subscription)
     * @param timeout   longest wait, or {@code null} for none; validated by the caller
     * @param emitValue whether to emit the taken value ({@code false} completes empty, for {@code Mono<Void>})
     */
    public WaitMono(Supplier<? extends WaitOperation<T>> operation, Supplier<Scheduler> scheduler,
            @Nullable Duration timeout, boolean emitValue) {
        this(operation, scheduler, timeout, emitValue, false);
    }

    private WaitMono(Supplier<? extends WaitOperation<T>> operation, Supplier<Scheduler> scheduler,
            @Nullable Duration timeout, boolean emitValue, boolean tryOnce) {
        this.tryOnce = tryOnce;
        this.operation = operation;
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.timeoutNanos = timeout == null ? -1 : saturatedNanos(timeout);
        this.emitValue = emitValue;
    }

    /**
     * A publisher that tries the operation once, on the requesting thread, and emits what it took
     * or completes empty: a {@code tryAcquire} or {@code poll}. It registers nothing with the
     * poller, yet runs through the same state machine, so a cancel that races the try either
     * finds nothing taken or gives back what was (a permit released, a message kept for the
     * handle's next take).
     *
     * @param operation a fresh operation per subscription
     * @param scheduler where completions would run (a try completes on the requesting thread)
     * @param <T>       the emitted value
     * @return the publisher
     */
    public static <T> WaitMono<T> tryOnce(Supplier<? extends WaitOperation<T>> operation,
            Supplier<Scheduler> scheduler) {
        return new WaitMono<>(operation, scheduler, Duration.ZERO, true, true);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        WaitOperation<T> op;
        Scheduler sched;
        try {
            op = operation.get();
            sched = scheduler.get();
        } catch (RuntimeException e) {
            Operators.error(actual, e);
            return;
        }
        actual.onSubscribe(new Subscription<>(actual, op, sched, this));
    }

    /** The per-subscription waiter. */
    static final class Subscription<T> extends Waiter implements org.reactivestreams.Subscription {
        private final CoreSubscriber<? super T> actual;
        private final WaitOperation<T> op;
        private final WaitMono<T> parent;
        private volatile boolean requested;
        private @Nullable T value; // published by the GRANTED/DELIVERED CAS

        Subscription(CoreSubscriber<? super T> actual, WaitOperation<T> op, Scheduler scheduler, WaitMono<T> parent) {
            super(scheduler);
            this.actual = actual;
            this.op = op;
            this.parent = parent;
        }

        @Override
        public void request(long n) {
            if (!Operators.validate(n) || requested) {
                return;
            }
            synchronized (this) {
                if (requested) {
                    return;
                }
                requested = true;
            }
            if (!isWaiting()) {
                return; // cancelled before request
            }
            T taken;
            try {
                taken = parent.tryOnce ? op.tryOnce() : op.tryTake(false);
            } catch (RuntimeException e) {
                failInline(e);
                return;
            }
            if (taken != null) {
                value = taken;
                grantedInline();
                return;
            }
            if (parent.timeoutNanos == 0) {
                timeOut();
                return;
            }
            if (parent.timeoutNanos > 0) {
                startTimer(parent.timeoutNanos);
            }
            Poller.shared().register(this);
        }

        @Override
        public void cancel() {
            cancelWait();
        }

        @Override
        protected boolean attempt(boolean sweep) {
            T taken = op.tryTake(sweep);
            if (taken == null) {
                return false;
            }
            value = taken;
            return true;
        }

        @Override
        protected long arm() {
            return op.arm();
        }

        @Override
        protected long address() {
            return op.address();
        }

        @Override
        protected void abandon() {
            op.abandon();
        }

        @Override
        protected Object key() {
            return op.key();
        }

        @Override
        protected boolean ordered() {
            return op.ordered();
        }

        @Override
        protected void giveBack() {
            T taken = value;
            value = null;
            if (taken != null) {
                op.giveBack(taken);
            }
        }

        @Override
        protected void deliver() {
            T taken = value;
            value = null;
            if (parent.emitValue && taken != null) {
                actual.onNext(taken);
            }
            actual.onComplete();
        }

        @Override
        protected void deliverTimeout() {
            if (parent.tryOnce) {
                actual.onComplete(); // a try that found nothing is empty, not an error
                return;
            }
            actual.onError(new TimeoutException("timed out after " + parent.timeout + " waiting for " + op.describe()));
        }

        @Override
        protected void deliverError(Throwable error) {
            Throwable cause = error.getCause();
            actual.onError(error instanceof WaitOperation.CheckedFailure && cause != null ? cause : error);
        }
    }
}
