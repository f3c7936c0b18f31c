package dev.procsync.reactive;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Something acquired as a {@link Permit}: the shared shape of {@link ReactiveLock},
 * {@link ReactiveRLock}, {@link ReactiveSemaphore} and {@link ReactiveCondition}'s lock.
 *
 * <p>Every method returns a cold publisher: nothing is taken and no waiter is registered until
 * the subscriber requests. Cancelling before the permit is emitted acquires nothing or gives back
 * what was acquired, so the permit is never lost; once emitted it is the subscriber's.
 */
public interface ReactiveAcquirable {
    /** The object's name. */
    String name();

    /**
     * Acquires, waiting as long as it takes, and emits the permit. Errors with the
     * backend's closed-handle exception if the handle is closed while waiting.
     *
     * @return a cold {@code Mono} of the permit
     */
    Mono<Permit> acquire();

    /**
     * Acquires, waiting at most {@code timeout}; errors with
     * {@link java.util.concurrent.TimeoutException} when it expires. The deadline runs on the
     * implementation's Scheduler, starting at request. A zero or negative timeout only tries.
     *
     * @param timeout longest wait; zero or negative does not wait
     * @return a cold {@code Mono} of the permit
     * @throws NullPointerException if {@code timeout} is null
     */
    Mono<Permit> acquire(Duration timeout);

    /**
     * Acquires if possible right now, without waiting; completes empty otherwise.
     *
     * @return a cold {@code Mono} of the permit, empty if none is free
     */
    Mono<Permit> tryAcquire();

    /**
     * Runs {@code body} while holding a permit, releasing it when the body's {@code Mono}
     * completes, errors, or is cancelled (the five-argument {@link Mono#usingWhen}). The acquire is
     * cancel-safe, so a cancellation at any point never loses the permit.
     *
     * @param body what to run while holding the permit
     * @param <T>  result type
     * @return a cold {@code Mono} of the body's result
     */
    default <T> Mono<T> withPermit(Function<? super Permit, ? extends Mono<? extends T>> body) {
        return Mono.usingWhen(acquire(), body, Permit::release, (permit, error) -> permit.release(),
                Permit::release);
    }

    /**
     * As {@link #withPermit(Function)} for a body that emits many elements: the permit is held
     * until the body's publisher terminates or is cancelled.
     *
     * @param body what to run while holding the permit
     * @param <T>  element type
     * @return a cold {@code Flux} of the body's elements
     */
    default <T> Flux<T> withPermitMany(Function<? super Permit, ? extends Publisher<? extends T>> body) {
        return Flux.usingWhen(acquire(), body, Permit::release, (permit, error) -> permit.release(),
                Permit::release);
    }

    /**
     * Like {@link #withPermit(Function)}, for a lock whose holder may die halfway through an
     * update: when the permit reports {@link Permit#previousOwnerDied()}, {@code repair} runs first
     * and the body only after it completed. If the repair fails or is cancelled, the permit is
     * released with {@link Permit#releaseKeepingOwnerDied()}, so the next holder is told too; once
     * repaired (or when nobody died), the permit is released normally, which clears the signal.
     *
     * @param repair what to run on a permit taken over from a dead holder
     * @param body   what to run while holding the permit
     * @param <T>    element type
     * @return a cold {@code Flux} of the body's elements
     */
    default <T> Flux<T> withPermit(Function<? super Permit, ? extends Publisher<?>> repair,
            Function<? super Permit, ? extends Publisher<? extends T>> body) {
        return Flux.defer(() -> {
            AtomicBoolean repaired = new AtomicBoolean();
            Function<Permit, Mono<Void>> release =
                    permit -> repaired.get() ? permit.release() : permit.releaseKeepingOwnerDied();
            return Flux.usingWhen(acquire(), permit -> {
                if (!permit.previousOwnerDied()) {
                    repaired.set(true);
                    return Flux.<T>from(body.apply(permit));
                }
                return Flux.from(repair.apply(permit))
                        .then(Mono.fromRunnable(() -> repaired.set(true)))
                        .thenMany(Flux.defer(() -> Flux.<T>from(body.apply(permit))));
            }, release, (permit, error) -> release.apply(permit), release);
        });
    }
}
