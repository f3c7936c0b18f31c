/**
 * The synchronization primitives of {@code multiprocessing}, shared between processes by name:
 * {@link dev.procsync.sync.Lock} and its relatives. Each class owns its layout (drawn at its top),
 * the state table of its futex word, and its owner-death behaviour.
 *
 * <p><b>On virtual threads</b> (Java 21+), every blocking method here parks the virtual thread
 * instead of sleeping in the kernel, so its carrier is free for other virtual threads; the
 * process's one waiting engine thread wakes it. Timeouts, interrupts ({@link InterruptedException},
 * noticed at once) and peer death behave as on a platform thread.
 */
@NullMarked
package dev.procsync.sync;

import org.jspecify.annotations.NullMarked;
