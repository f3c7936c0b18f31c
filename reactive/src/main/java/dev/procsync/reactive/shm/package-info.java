/**
 * The shared-memory implementation of the reactive interfaces, over the core primitives: each
 * class wraps a core handle's try and watch hooks and waits through the process's
 * {@link dev.procsync.internal.engine.Poller}.
 */
@NullMarked
package dev.procsync.reactive.shm;

import org.jspecify.annotations.NullMarked;
