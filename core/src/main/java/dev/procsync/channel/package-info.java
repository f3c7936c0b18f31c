/**
 * Message passing between processes: queues, pipes and the {@link dev.procsync.codec.Codec codecs}
 * that turn values into the bytes they carry.
 */
@NullMarked
package dev.procsync.channel;

import org.jspecify.annotations.NullMarked;
