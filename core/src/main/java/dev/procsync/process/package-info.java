/**
 * Processes: identities that survive pid reuse ({@link dev.procsync.process.ProcessId}) and the
 * {@code multiprocessing.Process} analogue that starts and watches child JVMs.
 */
@NullMarked
package dev.procsync.process;

import org.jspecify.annotations.NullMarked;
