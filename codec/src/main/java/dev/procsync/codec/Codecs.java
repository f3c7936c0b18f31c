package dev.procsync.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The built-in {@link Codec codecs} and their ids: raw bytes ({@code "bytes"}, also for
 * {@link ByteBuffer}), UTF-8 strings ({@code "utf8"}), little-endian fixed-width numbers
 * ({@code "int32"}, {@code "int64"}, {@code "float64"}) and JSON ({@code "json"},
 * {@code "json:<name>"}). Every one of them is a format another language reads as easily.
 */
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
     * JSON through Jackson with a default mapper, id {@code "json"}: {@link JacksonJsonCodec}
     * (Jackson 3, {@code tools.jackson}) when it is on the class path, else
     * {@link Jackson2JsonCodec} (Jackson 2). Both write the same bytes, so peers need not agree on
     * the Jackson line. A channel created with this codec opens with any JSON codec, and this
     * codec opens any JSON channel, named or not.
     *
     * @param <T>  the message type
     * @param type the class of every message
     * @return the codec
     * @throws IllegalStateException if neither Jackson line is on the class path
     */
    public static <T> Codec<T> json(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return JsonLibraries.jackson3() ? JacksonJsonCodec.of(type) : Jackson2JsonCodec.of(type);
    }

    /**
     * {@link #json(Class)} with id {@code "json:" + typeName}, a logical name of the message type
     * (e.g. {@code "order"}) that is checked when both the channel's creator and its opener give
     * one: opening a {@code "json:order"} queue with a {@code "json:invoice"} codec is an error,
     * while a codec or channel without a name matches any JSON one. Choose a name a peer in
     * another language can use too, not a Java class name.
     *
     * @param <T>      the message type
     * @param type     the class of every message
     * @param typeName 1 to 27 printable ASCII characters, no spaces
     * @return the codec
     * @throws IllegalArgumentException if the name is empty, too long or not printable ASCII
     * @throws IllegalStateException    if neither Jackson line is on the class path
     */
    public static <T> Codec<T> json(Class<T> type, String typeName) {
        Objects.requireNonNull(type, "type");
        CodecIds.json(typeName);
        return JsonLibraries.jackson3()
                ? JacksonJsonCodec.of(type).named(typeName) : Jackson2JsonCodec.of(type).named(typeName);
    }

    /** Which Jackson lines the class path has, looked up once, on first use of a JSON codec. */
    private static final class JsonLibraries {
        static final boolean JACKSON_3 = present("tools.jackson.databind.ObjectMapper");
        static final boolean JACKSON_2 = present("com.fasterxml.jackson.databind.ObjectMapper");

        /**
         * True for Jackson 3, false for Jackson 2; the codec classes of a missing line are never
         * touched, since linking them would fail.
         */
        static boolean jackson3() {
            if (!JACKSON_3 && !JACKSON_2) {
                throw new IllegalStateException("the JSON codec needs Jackson on the class path: "
                        + "tools.jackson.core:jackson-databind (Jackson 3) or "
                        + "com.fasterxml.jackson.core:jackson-databind (Jackson 2), "
                        + "optional dependencies of procsync-codec");
            }
            return JACKSON_3;
        }

        private static boolean present(String className) {
            try {
                Class.forName(className, false, Codecs.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
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
