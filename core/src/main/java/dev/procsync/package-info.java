/**
 * procsync: {@code multiprocessing}-grade synchronization and IPC between JVM processes on one
 * Linux host. Start at {@link dev.procsync.Procsync#open(String)}.
 *
 * <p>Memory ordering is described everywhere in one vocabulary, the VarHandle access modes: a
 * release write pairs with an acquire read of the same word, in any process sharing the mapping.
 */
@NullMarked
package dev.procsync;

import org.jspecify.annotations.NullMarked;
