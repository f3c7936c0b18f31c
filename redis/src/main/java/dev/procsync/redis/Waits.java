package dev.procsync.redis;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The one waiting loop of the backend: try; if that got nothing, try again on each wake message
 * of the object's channel and at the poll interval, until something is got, the handle closes, or
 * the subscriber cancels.
 *
 * <p>Cancel-safety: an attempt already sent to the server cannot be called back. Its result, if it
 * arrives after the cancel, or is dropped by an operator between here and the subscriber, is
 * given to {@code undo} (a permit is released, an item put back), exactly once.
 */
final class Waits {
    private Waits() {
    }

    /**
     * Waits for {@code attempt} to emit.
     *
     * @param handle  the handle waited through (its close ends the wait)
     * @param channel the object's wake channel
     * @param attempt one try: a cold Mono that emits what it got, or completes empty
     * @param undo    gives back a result nobody will receive
     * @param <T>     the result type
     * @return a cold Mono completing on the handle's Scheduler
     */
    static <T> Mono<T> until(Handle handle, String channel, Supplier<Mono<T>> attempt, Consumer<? super T> undo) {
        return run(handle, channel, attempt, undo);
    }

    private static <T> Mono<T> run(Handle handle, @Nullable String channel, Supplier<Mono<T>> attempt,
            Consumer<? super T> undo) {
        Mono<T> wait = Mono.<T>create(sink -> {
            AtomicBoolean finished = new AtomicBoolean();
            AtomicBoolean running = new AtomicBoolean();
            AtomicBoolean again = new AtomicBoolean();
            Disposable.Composite resources = Disposables.composite();
            Runnable[] kick = new Runnable[1];
            kick[0] = () -> {
                again.set(true);
                if (finished.get() || !running.compareAndSet(false, true)) {
                    return; // the running attempt goes round once more when it completes empty
                }
                again.set(false);
                AtomicBoolean got = new AtomicBoolean();
                // Never cancelled: a command already sent completes, and what it got is undone if unwanted.
                attempt.get().subscribe(value -> {
                    got.set(true);
                    if (finished.compareAndSet(false, true)) {
                        resources.dispose();
                        sink.success(value); // dropped after a cancel: undone by the discard hook
                    } else {
                        undo.accept(value);
                    }
                }, error -> {
                    got.set(true);
                    if (finished.compareAndSet(false, true)) {
                        resources.dispose();
                        sink.error(error);
                    }
                }, () -> {
                    if (got.get()) {
                        return;
                    }
                    if (channel == null) {
                        if (finished.compareAndSet(false, true)) {
                            resources.dispose();
                            sink.success();
                        }
                        return;
                    }
                    running.set(false);
                    if (again.get()) {
                        kick[0].run();
                    }
                });
            };
            resources.add(handle.closed().subscribe(v -> { }, e -> { }, () -> {
                if (finished.compareAndSet(false, true)) {
                    resources.dispose();
                    sink.error(handle.closedError());
                }
            }));
            if (channel != null) {
                resources.add(Flux.merge(handle.wakeups(channel), Flux.interval(handle.pollInterval(), handle.timer()))
                        .subscribe(x -> kick[0].run(), e -> { }));
            }
            sink.onRequest(n -> kick[0].run());
            sink.onDispose(() -> {
                finished.set(true);
                resources.dispose();
            });
        });
        @SuppressWarnings("unchecked")
        Consumer<Object> undoAny = v -> undo.accept((T) v);
        return Mono.defer(() -> {
            handle.checkOpen();
            return wait.publishOn(handle.scheduler());
        }).doOnDiscard(Object.class, undoAny);
    }

    /**
     * {@link #until} bounded by {@code timeout} (a zero or negative timeout only tries, once).
     */
    static <T> Mono<T> until(Handle handle, String channel, Supplier<Mono<T>> attempt, Consumer<? super T> undo,
            Duration timeout) {
        java.util.Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            return once(handle, attempt, undo).switchIfEmpty(Mono.error(() -> new TimeoutException(
                    "nothing free at once in " + handle)));
        }
        return until(handle, channel, attempt, undo).timeout(timeout, Mono.defer(() -> Mono.error(
                new TimeoutException("waited " + timeout + " in " + handle))), handle.timer());
    }

    /** One try, cancel-safe as {@link #until}: completes empty if it got nothing. */
    static <T> Mono<T> once(Handle handle, Supplier<Mono<T>> attempt, Consumer<? super T> undo) {
        return run(handle, null, attempt, undo);
    }
}
