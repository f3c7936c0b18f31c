/**
 * The synchronization primitives of {@code multiprocessing}, shared between processes by name:
 * {@link dev.procsync.sync.Lock} and its relatives. Each class owns its layout (drawn at its top),
 * the state table of its futex word, and its owner-death behaviour.
 */
@NullMarked
package dev.procsync.sync;

import org.jspecify.annotations.NullMarked;
