/**
 * The reactive face of procsync: backend-neutral interfaces ({@link dev.procsync.reactive.ReactiveLock},
 * {@link dev.procsync.reactive.ReactiveSemaphore}, {@link dev.procsync.reactive.ReactiveEvent}, ...) whose
 * operations are cold {@link reactor.core.publisher.Mono}s and {@link reactor.core.publisher.Flux}es.
 *
 * <p>This package names no backend: it depends on Reactor, JSpecify and {@code procsync-codec} only.
 * A backend implements {@link dev.procsync.reactive.ReactiveProcsync} and is built by its own factory:
 * {@code ShmReactiveProcsync.of(namespace)} (artifact {@code procsync-reactive}: processes of one host
 * over shared memory) or {@code RedisReactiveProcsync.of(client, prefix)} (artifact
 * {@code procsync-redis}: clients of one Redis server, on any hosts). Code written against these
 * interfaces runs on either; what differs is written below, and per behaviour in the contract kit
 * ({@code procsync-reactive-tck}) that both backends pass.
 *
 * <h2>Common contract</h2>
 * <ul>
 *   <li><b>Cold.</b> Nothing happens until a subscriber requests: no permit is taken, no waiter is
 *       registered, no item is dequeued before {@code request(n)}.</li>
 *   <li><b>Cancel-safe.</b> Cancelling a pending acquire either acquires nothing or gives back
 *       what it got; a wake-up consumed by a cancelled waiter is passed on. A {@link
 *       dev.procsync.reactive.Permit} that has been emitted belongs to the subscriber.</li>
 *   <li><b>Timeouts</b> given as a {@link java.time.Duration} run on the implementation's Reactor
 *       {@link reactor.core.scheduler.Scheduler} (so virtual time can drive them), start at request,
 *       and end the publisher with {@link java.util.concurrent.TimeoutException}; a zero or
 *       negative timeout only tries (as in java.util.concurrent), and a {@code null} one is a
 *       {@link NullPointerException} at the call.</li>
 *   <li><b>Threads.</b> Waiting never blocks a caller's thread; completions of waits arrive on the
 *       configured Scheduler (default {@link reactor.core.scheduler.Schedulers#parallel()}).
 *       The subscriber {@link reactor.util.context.Context} is preserved; no ThreadLocal state
 *       is used.</li>
 *   <li><b>Ownership by handle.</b> Reactive code has no stable thread, so what is held is held
 *       by a {@link dev.procsync.reactive.Permit} (or an RLock handle), never by a thread.</li>
 *   <li><b>Closed handles.</b> Closing a handle ends the publishers pending through it with the
 *       backend's closed-handle exception (a {@link RuntimeException}: {@code dev.procsync.ClosedException}
 *       on shared memory, {@code dev.procsync.redis.RedisClosedException} on Redis); it never
 *       releases what the handle's permits hold.</li>
 *   <li><b>Participants and their death.</b> A <em>participant</em> is what holds and waits: a
 *       process mapping the namespace on shared memory, a Redis client (one
 *       {@code RedisReactiveProcsync}) on Redis. A participant <em>dies</em> when its process
 *       exits or is killed (shared memory: the kernel tells at once, peers notice within the
 *       liveness sweep), or when it stops renewing its leases (Redis: crash, kill, or a network
 *       partition longer than the lease; a client that is merely slow or paused past its lease is
 *       treated as dead too, and its later release is a no-op). What each primitive does with a
 *       dead participant's holdings is in its own javadoc.</li>
 *   <li><b>Memory consistency.</b> Each primitive orders the operations on it as its blocking
 *       counterpart does (for example a release happens-before the next successful acquire).
 *       On shared memory this covers every write the releasing process made to the host's shared
 *       memory; on Redis it covers the operations on the primitive itself and on other Redis keys
 *       the releasing client wrote before releasing (Redis executes one client's commands in order),
 *       not writes to systems outside Redis, which need their own protocol (fencing tokens).</li>
 * </ul>
 */
@NullMarked
package dev.procsync.reactive;

import org.jspecify.annotations.NullMarked;
