@file:JvmName("ReactiveCoroutines")

package dev.procsync.reactive

import java.time.Duration
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.reactive.asFlow
import kotlinx.coroutines.reactor.asFlux
import kotlinx.coroutines.reactor.awaitSingleOrNull
import kotlinx.coroutines.suspendCancellableCoroutine
import org.reactivestreams.Subscription
import reactor.core.CoreSubscriber
import reactor.core.publisher.Mono
import kotlin.coroutines.resumeWithException

/*
 * Coroutine extensions in the Spring style. The permit-returning ones never drop a permit when the
 * coroutine is cancelled: plain `acquire().awaitSingle()` can, because a permit emitted while the
 * coroutine is being cancelled is handed to a continuation that will never run. Here the permit is
 * resumed with an onCancellation handler that releases it, and a cancellation before emission
 * cancels the subscription, whose state machine gives back whatever it had acquired.
 */

/**
 * Acquires and suspends until the permit is granted. Cancelling the coroutine at any point either
 * acquires nothing or releases what was acquired.
 */
suspend fun ReactiveAcquirable.acquireAndAwait(): Permit = awaitPermit(acquire())
    ?: throw IllegalStateException("acquire() of $this completed without a permit")

/**
 * Acquires, suspending at most [timeout]; throws [java.util.concurrent.TimeoutException] when it
 * expires. Cancel-safe as [acquireAndAwait].
 */
suspend fun ReactiveAcquirable.acquireAndAwait(timeout: Duration): Permit = awaitPermit(acquire(timeout))
    ?: throw IllegalStateException("acquire(timeout) of $this completed without a permit")

/** Acquires if a permit is free now; `null` otherwise. Never loses a permit to cancellation. */
suspend fun ReactiveAcquirable.tryAcquireAndAwait(): Permit? = awaitPermit(tryAcquire())

/**
 * Runs [block] while holding a permit and releases it when the block returns, throws, or is
 * cancelled. The permit is never lost, whenever the coroutine is cancelled.
 */
suspend fun <T> ReactiveAcquirable.withPermitAndAwait(block: suspend (Permit) -> T): T {
    val permit = acquireAndAwait()
    try {
        return block(permit)
    } finally {
        permit.close() // never blocks, so no NonCancellable context is needed
    }
}

/**
 * Like [withPermitAndAwait], for a lock whose holder may die halfway through an update: when the
 * permit reports [Permit.previousOwnerDied], [repair] runs before [block]. If the repair throws
 * or is cancelled, the permit is released keeping the owner-died signal, so the next holder is
 * told too; once repaired (or when nobody died) it is released normally, clearing the signal.
 */
suspend fun <T> ReactiveAcquirable.withPermitAndAwait(repair: suspend (Permit) -> Unit, block: suspend (Permit) -> T): T {
    val permit = acquireAndAwait()
    var repaired = !permit.previousOwnerDied()
    try {
        if (!repaired) {
            repair(permit)
            repaired = true
        }
        return block(permit)
    } finally {
        if (repaired) {
            permit.close()
        } else {
            permit.releaseKeepingOwnerDied().subscribe() // runs at once, never blocks
        }
    }
}

/** Releases this permit; idempotent. */
suspend fun Permit.releaseAndAwait() {
    release().awaitSingleOrNull()
}

/** Suspends until the event is set. */
suspend fun ReactiveEvent.awaitSet() {
    await().awaitSingleOrNull()
}

/** Suspends until the event is set, at most [timeout]; throws [java.util.concurrent.TimeoutException]. */
suspend fun ReactiveEvent.awaitSet(timeout: Duration) {
    await(timeout).awaitSingleOrNull()
}

/** Sets the event, waking every waiter. */
suspend fun ReactiveEvent.setAndAwait() {
    set().awaitSingleOrNull()
}

/** Arrives at the barrier and suspends until every party has; returns the arrival index. */
suspend fun ReactiveBarrier.arriveAndAwait(): Int = arrive().awaitSingleOrNull()
    ?: throw IllegalStateException("arrive() of $this completed without an index")

/** Reads the value. */
suspend fun <T : Any> ReactiveValue<T>.getAndAwait(): T = get().awaitSingleOrNull()
    ?: throw IllegalStateException("get() of $this completed empty")

/** Writes the value. */
suspend fun <T : Any> ReactiveValue<T>.setAndAwait(value: T) {
    set(value).awaitSingleOrNull()
}

/** The value's changes (see [ReactiveValue.changes]) as a conflated cold [Flow]. */
fun <T : Any> ReactiveValue<T>.changesAsFlow(): Flow<T> = changes().asFlow()

/** Puts [item], suspending while the queue is full. */
suspend fun <T : Any> ReactiveQueue<T>.sendAndAwait(item: T) {
    put(item).awaitSingleOrNull()
}

/** Sends every item of [items], suspending while the queue is full; returns when all are put. */
suspend fun <T : Any> ReactiveQueue<T>.sendAndAwait(items: Flow<T>) {
    send(items.asFlux()).awaitSingleOrNull()
}

/**
 * Receives the queue's items as a cold [Flow] that takes one item per emission, so that no more
 * is dequeued than the collector takes. Nothing is lost when the collector is cancelled: a take
 * cancelled before its item was handed over gives it back (see [ReactiveQueue.receive]), and an
 * item handed over while the coroutine was being cancelled is put back into the queue (at its
 * tail: the order of that one item may change).
 */
fun <T : Any> ReactiveQueue<T>.receiveAsFlow(): Flow<T> = flow {
    while (true) {
        emit(takeOrPutBack(this@receiveAsFlow))
    }
}

/** Takes one item, putting it back if the coroutine can no longer receive it. */
private suspend fun <T : Any> takeOrPutBack(queue: ReactiveQueue<T>): T = suspendCancellableCoroutine { cont ->
    queue.take().subscribe(object : CoreSubscriber<T> {
        override fun onSubscribe(s: Subscription) {
            cont.invokeOnCancellation { s.cancel() }
            s.request(1)
        }

        override fun onNext(item: T) {
            cont.resume(item) { _, lost, _ -> queue.put(lost).subscribe() }
        }

        override fun onError(t: Throwable) {
            cont.resumeWithException(t)
        }

        override fun onComplete() {
            // take() always emits before it completes
        }
    })
}

/**
 * Subscribes to a Mono of a permit and suspends for it, releasing the permit if the coroutine is
 * cancelled after it was emitted but before the coroutine resumed.
 */
private suspend fun awaitPermit(mono: Mono<Permit>): Permit? = suspendCancellableCoroutine { cont ->
    mono.subscribe(object : CoreSubscriber<Permit> {
        @Volatile
        private var resumed = false

        override fun onSubscribe(s: Subscription) {
            cont.invokeOnCancellation { s.cancel() }
            s.request(Long.MAX_VALUE)
        }

        override fun onNext(permit: Permit) {
            resumed = true
            cont.resume(permit) { _, lost, _ -> lost.close() }
        }

        override fun onError(t: Throwable) {
            if (!resumed) {
                resumed = true
                cont.resumeWithException(t)
            }
        }

        override fun onComplete() {
            if (!resumed) {
                resumed = true
                cont.resume(null) { _, _, _ -> }
            }
        }
    })
}
