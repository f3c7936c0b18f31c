/**
 * How a thread sleeps on a 32-bit word in shared memory: the futex system call bound through JNA
 * direct mapping, with results as {@link dev.procsync.futex.WaitResult} values, and the spin policy
 * that runs before a thread sleeps.
 */
@NullMarked
package dev.procsync.futex;

import org.jspecify.annotations.NullMarked;
