/**
 * State shared between processes by name: typed single values ({@link dev.procsync.data.SharedLong} and
 * relatives), typed fixed-length arrays ({@link dev.procsync.data.SharedDoubleArray} and relatives) and
 * raw named blocks ({@link dev.procsync.data.SharedMemory}): the analogues of {@code multiprocessing.Value},
 * {@code Array} and {@code shared_memory.SharedMemory}, with real atomics where Python only has a lock.
 */
@NullMarked
package dev.procsync.data;

import org.jspecify.annotations.NullMarked;
