package dev.procsync.channel;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.ByteBufferBackedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Messages as JSON through Jackson's {@link ObjectMapper}: portable across languages (a Python
 * peer can read them) and safe to decode, since only the declared type is ever built.
 *
 * <p>Needs {@code com.fasterxml.jackson.core:jackson-databind} on the class path; procsync-core
 * declares it optional. The codec id is {@code "json:" + type name} (shortened with a hash past
 * 32 characters), so peers must agree on the type, not on the mapper's settings: configure the
 * mapper the same way in every process. Encoding and decoding failures are thrown as
 * {@link IllegalArgumentException} to the caller of {@code put} or {@code get}.
 *
 * @param <T> the message type
 */
public final class JsonCodec<T> implements Codec<T> {
    private static final class DefaultMapper {
        static final ObjectMapper INSTANCE = new ObjectMapper();
    }

    private final String id;
    private final ObjectMapper mapper;
    private final JavaType type;

    private JsonCodec(String id, ObjectMapper mapper, JavaType type) {
        this.id = id;
        this.mapper = mapper;
        this.type = type;
    }

    /**
     * A codec for {@code type} with a default {@link ObjectMapper}.
     *
     * @param <T>  the message type
     * @param type the class of every message
     * @return the codec
     */
    public static <T> JsonCodec<T> of(Class<T> type) {
        return of(type, DefaultMapper.INSTANCE);
    }

    /**
     * A codec for {@code type} with the given mapper (thread-safe once configured, as Jackson
     * documents; do not reconfigure it afterwards).
     *
     * @param <T>    the message type
     * @param type   the class of every message
     * @param mapper the mapper
     * @return the codec
     */
    public static <T> JsonCodec<T> of(Class<T> type, ObjectMapper mapper) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mapper, "mapper");
        return new JsonCodec<>(CodecIds.forType("json", type.getName()), mapper, mapper.constructType(type));
    }

    @Override
    public String id() {
        return id;
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
        return "JsonCodec[" + type + "]";
    }
}
