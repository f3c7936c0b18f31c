/**
 * The Redis backend of {@code procsync-reactive-api}, over Redisson: the same reactive interfaces
 * for clients on any hosts that share one Redis (or Valkey) server. Start at
 * {@link dev.procsync.redis.RedisReactiveProcsync}.
 *
 * <h2>How it is built</h2>
 * Every object lives under the namespace's key prefix ({@code <ns>:<kind>:<name>}). Values and
 * messages cross the wire as bytes of procsync's own {@code Codec} over Redisson's byte-array codec;
 * no Redisson object codec (Kryo, Java serialization) ever decodes what another client wrote.
 * Changes that can end a wait are made by Lua scripts (atomic on the server) that also
 * {@code PUBLISH} on the object's wake channel; a waiter tries, then retries on each wake message
 * and, as a safety net for lost messages and expired leases (which publish nothing), at the poll
 * interval. A participant is a {@code RedisReactiveProcsync}: its liveness is its leases (Redisson's
 * lock watchdog, semaphore permit leases and the consumer lease of queues), renewed while its JVM
 * runs and reachable; when it dies or is cut off longer than the lease, what it held comes back.
 *
 * <h2>Queues and values</h2>
 * A queue is a Redis list with a per-consumer in-flight list ({@code LMOVE}) and a lease per
 * consumer: delivery is at least once, an item counting as acknowledged when the subscriber's
 * {@code onNext} returns; the items of a consumer whose lease ended go back to the head of the list
 * at the next take (the redelivery rule is in {@code RedisQueue}'s notes). {@code receive()} takes
 * one item per unit of demand, never ahead of it. A value is one Redis integer (Redisson's
 * {@code RAtomicLong}: ints, longs, booleans and a double's bits); {@code changes()} reads it again
 * at each request after a wake-up or poll tick, so a slow subscriber gets the latest value.
 *
 * <h2>Failure</h2>
 * A command that cannot reach the server errors after Redisson's retries (its {@code timeout} times
 * {@code retryAttempts}); a pending wait whose retry fails errors the same way, and so does a
 * queue's {@code receive()} stream. Nothing waits forever on a dead server: callers see
 * {@code RedisException}s and may retry (resubscribe). The handles work again once the client has
 * reconnected; a server restarted without persistence comes back empty.
 */
@NullMarked
package dev.procsync.redis;

import org.jspecify.annotations.NullMarked;
