package dev.procsync.channel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** The built-in {@link Codec codecs}: raw bytes, ByteBuffer, UTF-8 strings and fixed-width numbers. */
public final class Codecs {
    private Codecs() {
    }

    /** {@code byte[]} as is. @return the codec */
    public static Codec<byte[]> bytes() {
        return BYTES;
    }

    /** A {@link ByteBuffer}'s remaining bytes; decodes to a fresh heap buffer. @return the codec */
    public static Codec<ByteBuffer> byteBuffer() {
        return BYTE_BUFFER;
    }

    /** Strings as UTF-8; malformed input is rejected, never replaced. @return the codec */
    public static Codec<String> utf8() {
        return UTF8;
    }

    /** {@code Integer} as 4 little-endian bytes. @return the codec */
    public static Codec<Integer> int32() {
        return INT32;
    }

    /** {@code Long} as 8 little-endian bytes. @return the codec */
    public static Codec<Long> int64() {
        return INT64;
    }

    /** {@code Double} as 8 little-endian IEEE 754 bytes. @return the codec */
    public static Codec<Double> float64() {
        return FLOAT64;
    }

    /**
     * JSON through Jackson with a default mapper; see {@link JsonCodec}. Needs jackson-databind on
     * the class path (an optional dependency of procsync-core).
     *
     * @param <T>  the message type
     * @param type the class of every message
     * @return the codec
     * @throws IllegalStateException if Jackson is not on the class path
     */
    public static <T> Codec<T> json(Class<T> type) {
        try {
            return JsonCodec.of(type);
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("the JSON codec needs com.fasterxml.jackson.core:jackson-databind on the "
                    + "class path (an optional dependency of procsync-core): " + e.getMessage(), e);
        }
    }

    private static final Codec<byte[]> BYTES = new Codec<>() {
        @Override
        public String id() {
            return "bytes";
        }

        @Override
        public byte[] encode(byte[] value) {
            return Objects.requireNonNull(value, "value");
        }

        @Override
        public byte[] decode(ByteBuffer bytes) {
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return out;
        }
    };

    private static final Codec<ByteBuffer> BYTE_BUFFER = new Codec<>() {
        @Override
        public String id() {
            return "bytes";
        }

        @Override
        public byte[] encode(ByteBuffer value) {
            byte[] out = new byte[value.remaining()];
            value.duplicate().get(out);
            return out;
        }

        @Override
        public ByteBuffer decode(ByteBuffer bytes) {
            ByteBuffer out = ByteBuffer.allocate(bytes.remaining());
            out.put(bytes).flip();
            return out;
        }
    };

    private static final Codec<String> UTF8 = new Codec<>() {
        @Override
        public String id() {
            return "utf8";
        }

        @Override
        public byte[] encode(String value) {
            try {
                ByteBuffer out = StandardCharsets.UTF_8.newEncoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .encode(java.nio.CharBuffer.wrap(value));
                byte[] bytes = new byte[out.remaining()];
                out.get(bytes);
                return bytes;
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("string is not valid UTF-16 (lone surrogate): " + e, e);
            }
        }

        @Override
        public String decode(ByteBuffer bytes) {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(bytes).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("message is not valid UTF-8: " + e, e);
            }
        }
    };

    private static final Codec<Integer> INT32 = new Codec<>() {
        @Override
        public String id() {
            return "int32";
        }

        @Override
        public byte[] encode(Integer value) {
            return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
        }

        @Override
        public Integer decode(ByteBuffer bytes) {
            requireLength(bytes, 4, "int32");
            return bytes.order(ByteOrder.LITTLE_ENDIAN).getInt(bytes.position());
        }
    };

    private static final Codec<Long> INT64 = new Codec<>() {
        @Override
        public String id() {
            return "int64";
        }

        @Override
        public byte[] encode(Long value) {
            return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
        }

        @Override
        public Long decode(ByteBuffer bytes) {
            requireLength(bytes, 8, "int64");
            return bytes.order(ByteOrder.LITTLE_ENDIAN).getLong(bytes.position());
        }
    };

    private static final Codec<Double> FLOAT64 = new Codec<>() {
        @Override
        public String id() {
            return "float64";
        }

        @Override
        public byte[] encode(Double value) {
            return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(value).array();
        }

        @Override
        public Double decode(ByteBuffer bytes) {
            requireLength(bytes, 8, "float64");
            return bytes.order(ByteOrder.LITTLE_ENDIAN).getDouble(bytes.position());
        }
    };

    private static void requireLength(ByteBuffer bytes, int length, String codec) {
        if (bytes.remaining() != length) {
            throw new IllegalArgumentException(codec + " message must be " + length + " bytes, got "
                    + bytes.remaining());
        }
    }
}
