/**
 * The waiting engine: the one thread per process ({@link dev.procsync.internal.engine.Poller})
 * that sleeps on the futex words of every wait that must not hold a thread of its own (reactive
 * subscriptions, and virtual threads blocked in a core wait), behind one hook contract
 * ({@link dev.procsync.internal.engine.EngineWaiter}). Internal: not API.
 */
@NullMarked
package dev.procsync.internal.engine;

import org.jspecify.annotations.NullMarked;
