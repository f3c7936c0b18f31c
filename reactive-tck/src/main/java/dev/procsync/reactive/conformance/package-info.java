/**
 * The contract kit of {@code procsync-reactive-api}: one abstract JUnit 5 suite per interface. A
 * backend extends each suite with a few lines that open handles on a fresh object, and runs it in
 * its own tests (the shared-memory backend in {@code procsync-reactive}, the Redis backend in
 * {@code procsync-redis}).
 *
 * <p>Every behaviour here holds on every backend. Where backends differ by design (what happens
 * to a dead holder's permits, whether a queue item can be delivered twice), the suite's javadoc
 * says what each guarantees, and the difference is tested by that backend's own cross-process
 * tests, not here. Waits are bounded by each suite's {@code WAIT}; nothing sleeps to synchronize.
 */
@NullMarked
package dev.procsync.reactive.conformance;

import org.jspecify.annotations.NullMarked;
