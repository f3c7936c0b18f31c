/**
 * Message passing between processes: queues, pipes and the {@link dev.procsync.codec.Codec codecs}
 * that turn values into the bytes they carry.
 *
 * <p><b>On virtual threads</b> (Java 21+), every blocking method here parks the virtual thread
 * instead of sleeping in the kernel, so its carrier is free for other virtual threads; the
 * process's one waiting engine thread wakes it. Timeouts, interrupts ({@link InterruptedException},
 * noticed at once) and peer death behave as on a platform thread.
 */
@NullMarked
package dev.procsync.channel;

import org.jspecify.annotations.NullMarked;
