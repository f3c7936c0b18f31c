/**
 * The futex bridge: the one place of the reactive layer that owns a thread. One
 * {@link dev.procsync.reactive.poller.Poller} per process sleeps on every futex word its pending
 * {@link dev.procsync.reactive.poller.Waiter}s need and hands their completions to a Reactor
 * Scheduler. See docs/layout/reactive.md for the design.
 */
@NullMarked
package dev.procsync.reactive.poller;

import org.jspecify.annotations.NullMarked;
