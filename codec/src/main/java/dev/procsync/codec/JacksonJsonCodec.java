package dev.procsync.codec;

import java.nio.ByteBuffer;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.util.ByteBufferBackedInputStream;

/**
 * Messages as JSON (UTF-8) through Jackson 3's {@link ObjectMapper} (package {@code tools.jackson},
 * the line Spring Boot 4 brings): portable across languages and safe to decode, since only the
 * declared type is ever built. Its bytes are the same JSON that {@link Jackson2JsonCodec} writes,
 * so processes on either Jackson line share a channel. {@link Codecs#json(Class)} picks this codec
 * when Jackson 3 is on the class path; use this class directly to pass a configured mapper.
 *
 * <p>Needs {@code tools.jackson.core:jackson-databind} on the class path; procsync-codec declares
 * it optional. The codec id is {@code "json"}, or {@code "json:" + typeName} after
 * {@link #named(String)}; see {@link Codecs#json(Class, String)} for how names are checked.
 * Peers must configure their mappers alike (property naming, date formats: Jackson 3 writes
 * {@code java.time} values as ISO-8601 strings by default, Jackson 2 needs its JSR-310 module
 * for them). Encoding and decoding failures are thrown as {@link IllegalArgumentException} to the
 * caller of {@code put} or {@code get}.
 *
 * @param <T> the message type
 */
public final class JacksonJsonCodec<T> implements Codec<T> {
    private static final class DefaultMapper {
        static final ObjectMapper INSTANCE = JsonMapper.builder().build();
    }

    private final String id;
    private final ObjectMapper mapper;
    private final JavaType type;

    private JacksonJsonCodec(String id, ObjectMapper mapper, JavaType type) {
        this.id = id;
        this.mapper = mapper;
        this.type = type;
    }

    /**
     * A codec for {@code type} with a default {@link JsonMapper}.
     *
     * @param <T>  the message type
     * @param type the class of every message
     * @return the codec, id {@code "json"}
     */
    public static <T> JacksonJsonCodec<T> of(Class<T> type) {
        return of(type, DefaultMapper.INSTANCE);
    }

    /**
     * A codec for {@code type} with the given mapper (Jackson 3 mappers are immutable and
     * thread-safe).
     *
     * @param <T>    the message type
     * @param type   the class of every message
     * @param mapper the mapper
     * @return the codec, id {@code "json"}
     */
    public static <T> JacksonJsonCodec<T> of(Class<T> type, ObjectMapper mapper) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mapper, "mapper");
        return new JacksonJsonCodec<>(CodecIds.JSON, mapper, mapper.constructType(type));
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
    public JacksonJsonCodec<T> named(String typeName) {
        return new JacksonJsonCodec<>(CodecIds.json(typeName), mapper, type);
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
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot encode " + value.getClass().getName() + " as JSON for "
                    + type + ": " + e.getMessage(), e);
        }
    }

    @Override
    public T decode(ByteBuffer bytes) {
        T value;
        try {
            value = mapper.readerFor(type).readValue(new ByteBufferBackedInputStream(bytes));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("message is not JSON for " + type + ": " + e.getMessage(), e);
        }
        if (value == null) {
            throw new IllegalArgumentException("message is JSON null, not a " + type);
        }
        return value;
    }

    @Override
    public String toString() {
        return "JacksonJsonCodec[" + id + ", " + type + "]";
    }
}
