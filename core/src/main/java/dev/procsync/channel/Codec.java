package dev.procsync.channel;

import java.nio.ByteBuffer;

/**
 * Turns values into the bytes a channel stores in shared memory and back.
 *
 * <p>Codecs are the only serialization procsync does; Java serialization is never a default
 * (untrusted bytes are never deserialized into arbitrary classes). Built-ins are in
 * {@link Codecs}. A channel records its codec's {@link #id()} in its header, so a process that
 * opens it with a different codec gets a clear exception instead of misread data.
 *
 * <p>{@link #encode} runs in the caller of {@code put}/{@code send}, so an encoding error is
 * thrown to that caller. {@link #decode} receives a read-only buffer positioned at the first
 * byte of one message and limited at its end; it may be a view of shared memory valid only
 * during the call, so a codec must copy what it keeps.
 *
 * @param <T> the value type
 */
public interface Codec<T> {
    /**
     * A stable identifier, at most 32 ASCII characters, stored in channel headers
     * (e.g. {@code "utf8"}, {@code "json:com.example.Order"}).
     *
     * @return the identifier
     */
    String id();

    /**
     * Encodes one value.
     *
     * @param value the value; never null
     * @return its bytes (the caller does not modify the array)
     * @throws IllegalArgumentException if the value cannot be encoded
     */
    byte[] encode(T value);

    /**
     * Decodes one message.
     *
     * @param bytes the message, from position to limit
     * @return the value
     * @throws IllegalArgumentException if the bytes are not a valid encoding
     */
    T decode(ByteBuffer bytes);
}
