/**
 * The reactive face of procsync: backend-neutral interfaces ({@link dev.procsync.reactive.ReactiveLock},
 * {@link dev.procsync.reactive.ReactiveSemaphore}, {@link dev.procsync.reactive.ReactiveEvent}, ...) whose
 * operations are cold {@link reactor.core.publisher.Mono}s and {@link reactor.core.publisher.Flux}es.
 *
 * <p>Nothing here names a shared-memory type: the same interfaces can be implemented by another
 * backend. {@link dev.procsync.reactive.ReactiveProcsync#of(dev.procsync.Namespace)} gives the
 * shared-memory implementation over a core namespace.
 *
 * <h2>Common contract</h2>
 * <ul>
 *   <li><b>Cold.</b> Nothing happens until a subscriber requests: no permit is taken, no waiter is
 *       registered, no item is dequeued before {@code request(n)}.</li>
 *   <li><b>Cancel-safe.</b> Cancelling a pending acquire either acquires nothing or gives back
 *       what it got; a wake-up consumed by a cancelled waiter is passed on. A {@link
 *       dev.procsync.reactive.Permit} that has been emitted belongs to the subscriber.</li>
 *   <li><b>Timeouts</b> given as a {@link java.time.Duration} run on the implementation's Reactor
 *       {@link reactor.core.scheduler.Scheduler} (so virtual time can drive them) and end the
 *       publisher with {@link java.util.concurrent.TimeoutException}; a negative timeout is an
 *       {@link IllegalArgumentException} at the call.</li>
 *   <li><b>Threads.</b> Waiting never blocks a caller's thread; completions of waits arrive on the
 *       configured Scheduler (default {@link reactor.core.scheduler.Schedulers#parallel()}).
 *       The subscriber {@link reactor.util.context.Context} is preserved; no ThreadLocal state
 *       is used.</li>
 *   <li><b>Ownership by handle.</b> Reactive code has no stable thread, so what is held is held
 *       by a {@link dev.procsync.reactive.Permit} (or an RLock handle), never by a thread.</li>
 * </ul>
 */
@NullMarked
package dev.procsync.reactive;

import org.jspecify.annotations.NullMarked;
