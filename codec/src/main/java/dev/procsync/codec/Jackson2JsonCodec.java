package dev.procsync.codec;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.ByteBufferBackedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Messages as JSON (UTF-8) through Jackson 2's {@link ObjectMapper}: portable across languages
 * and safe to decode, since only the declared type is ever built. Its bytes are the same JSON
 * that {@link JacksonJsonCodec} (Jackson 3) writes, so processes on either Jackson line share a
 * channel. {@link Codecs#json(Class)} picks one of the two by what is on the class path; use this
 * class to choose Jackson 2 or to pass a configured mapper.
 *
 * <p>Needs {@code com.fasterxml.jackson.core:jackson-databind} on the class path; procsync-codec
 * declares it optional. The codec id is {@code "json"}, or {@code "json:" + typeName} after
 * {@link #named(String)}; see {@link Codecs#json(Class, String)} for how names are checked.
 * Peers must configure their mappers alike (property naming, date formats). Encoding and
 * decoding failures are thrown as {@link IllegalArgumentException} to the caller of
 * {@code put} or {@code get}.
 *
 * @param <T> the message type
 */
public final class Jackson2JsonCodec<T> implements Codec<T> {
    private static final class DefaultMapper {
        static final ObjectMapper INSTANCE = new ObjectMapper();
    }

    private final String id;
    private final ObjectMapper mapper;
    private final JavaType type;

    private Jackson2JsonCodec(String id, ObjectMapper mapper, JavaType type) {
        this.id = id;
        this.mapper = mapper;
        this.type = type;
    }

    /**
     * A codec for {@code type} with a default {@link ObjectMapper}.
     *
     * @param <T>  the message type
     * @param type the class of every message
     * @return the codec, id {@code "json"}
     */
    public static <T> Jackson2JsonCodec<T> of(Class<T> type) {
        return of(type, DefaultMapper.INSTANCE);
    }

    /**
     * A codec for {@code type} with the given mapper (thread-safe once configured, as Jackson
     * documents; do not reconfigure it afterwards).
     *
     * @param <T>    the message type
     * @param type   the class of every message
     * @param mapper the mapper
     * @return the codec, id {@code "json"}
     */
    public static <T> Jackson2JsonCodec<T> of(Class<T> type, ObjectMapper mapper) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mapper, "mapper");
        return new Jackson2JsonCodec<>(CodecIds.JSON, mapper, mapper.constructType(type));
    }

    /**
     * This codec with id {@code "json:" + typeName}: a logical name of the message type that
     * creator and openers check (e.g. {@code "order"}; not necessarily a class name, since a
     * peer in another language has none).
     *
     * @param typeName 1 to 27 printable ASCII characters, no spaces
     * @return the named codec
     * @throws IllegalArgumentException if the name is empty, too long or not printable ASCII
     */
    public Jackson2JsonCodec<T> named(String typeName) {
        return new Jackson2JsonCodec<>(CodecIds.json(typeName), mapper, type);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean accepts(String storedId) {
        return CodecIds.jsonAccepts(id, storedId);
    }

    @Override
    public byte[] encode(T value) {
        Objects.requireNonNull(value, "value");
        try {
            return mapper.writerFor(type).writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode " + value.getClass().getName() + " as JSON for "
                    + type + ": " + e.getMessage(), e);
        }
    }

    @Override
    public T decode(ByteBuffer bytes) {
        T value;
        try {
            value = mapper.readerFor(type).readValue(new ByteBufferBackedInputStream(bytes));
        } catch (IOException e) {
            throw new IllegalArgumentException("message is not JSON for " + type + ": " + e.getMessage(), e);
        }
        if (value == null) {
            throw new IllegalArgumentException("message is JSON null, not a " + type);
        }
        return value;
    }

    @Override
    public String toString() {
        return "Jackson2JsonCodec[" + id + ", " + type + "]";
    }
}
