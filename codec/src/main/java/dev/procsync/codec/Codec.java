package dev.procsync.codec;

import java.nio.ByteBuffer;

/**
 * Turns values into the bytes a channel stores in shared memory and back.
 *
 * <p>Codecs are the only serialization procsync does; Java serialization is never a default
 * (untrusted bytes are never deserialized into arbitrary classes). Built-ins are in
 * {@link Codecs}. A channel records its creator's codec {@link #id()} in its header, and a process
 * that opens it with a codec that does not {@link #accepts accept} that id gets a clear exception
 * instead of misread data. Ids are language-neutral: a client in another language that knows the
 * id knows the bytes.
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
     * A stable identifier of the wire format, 1 to 32 printable ASCII characters, stored in the
     * header of the channels this codec creates (e.g. {@code "utf8"}, {@code "json"},
     * {@code "json:order"}). It names the bytes, not a Java type, so that any language can
     * implement it.
     *
     * @return the identifier
     */
    String id();

    /**
     * Whether this codec reads and writes the bytes of a channel created with codec id
     * {@code storedId}. The default is {@code id().equals(storedId)}; a codec whose format has
     * compatible variants (JSON with or without a type name) widens it.
     *
     * @param storedId the id in the channel's header
     * @return true if this codec may open the channel
     */
    default boolean accepts(String storedId) {
        return id().equals(storedId);
    }

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
