/**
 * Where the bytes live: named files mapped {@code MAP_SHARED}, each starting with a versioned
 * {@link dev.procsync.segment.SegmentHeader}, created and opened race-free by
 * {@link dev.procsync.segment.SegmentFiles}, accessed with VarHandle words through
 * {@link dev.procsync.segment.Segment}.
 *
 * <p>One vocabulary for memory ordering runs through the project: a release write
 * ({@code setIntRelease}, {@code setLongRelease}) pairs with an acquire read ({@code getIntAcquire},
 * {@code getLongAcquire}) of the same word, in this or any other process; a successful
 * {@code compareAndSet}/{@code getAndAdd} is both. Opaque reads ({@code getIntOpaque}) are for
 * spinning on a word whose value alone matters.
 */
@NullMarked
package dev.procsync.segment;

import org.jspecify.annotations.NullMarked;
