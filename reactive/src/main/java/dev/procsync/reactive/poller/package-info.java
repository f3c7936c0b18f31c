/**
 * The reactive side of the waiting engine: a {@link dev.procsync.reactive.poller.Waiter} is one
 * subscription's wait with its cancel-safe state machine, and {@link dev.procsync.reactive.poller.WaitMono}
 * the cold publisher around it. The thread that waits is core's
 * {@link dev.procsync.internal.engine.Poller}, one per process, shared with parked virtual threads.
 * See docs/layout/reactive.md for the design.
 */
@NullMarked
package dev.procsync.reactive.poller;

import org.jspecify.annotations.NullMarked;
