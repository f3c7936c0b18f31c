package dev.procsync.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Both Jackson lines on the class path, as in an application that has both. */
class JsonCodecTest {
    public record Order(String id, int quantity, double price, List<String> tags, Map<String, Long> counts) {
    }

    /** A property that cannot be read: both Jackson lines fail on it (an empty bean fails only in Jackson 2). */
    public record Exploding(String name) {
        @Override
        public String name() {
            throw new IllegalStateException("unreadable");
        }
    }

    private static final Order ORDER = new Order("o-1 \"ż\"", 3, 0.1, List.of("red", "big"), Map.of("a", 1L << 40));

    private static ByteBuffer buffer(byte[] bytes) {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    @Test
    void shouldPreferJackson3WhenBothAreOnTheClassPath() {
        assertInstanceOf(JacksonJsonCodec.class, Codecs.json(Order.class));
        assertInstanceOf(JacksonJsonCodec.class, Codecs.json(Order.class, "order"));
    }

    @Test
    void shouldReadWhatTheOtherJacksonLineWrote() {
        Codec<Order> j2 = Jackson2JsonCodec.of(Order.class);
        Codec<Order> j3 = JacksonJsonCodec.of(Order.class);
        assertEquals(ORDER, j3.decode(buffer(j2.encode(ORDER))));
        assertEquals(ORDER, j2.decode(buffer(j3.encode(ORDER))));
        assertEquals(new String(j2.encode(ORDER), StandardCharsets.UTF_8),
                new String(j3.encode(ORDER), StandardCharsets.UTF_8));
    }

    @Test
    void shouldShareOneIdAcrossJacksonLines() {
        assertEquals("json", Jackson2JsonCodec.of(Order.class).id());
        assertEquals("json", JacksonJsonCodec.of(Order.class).id());
        assertEquals("json:order", Jackson2JsonCodec.of(Order.class).named("order").id());
        assertEquals("json:order", JacksonJsonCodec.of(Order.class).named("order").id());
    }

    @Test
    void shouldCheckTypeNamesOnlyWhenBothSidesHaveOne() {
        Codec<Order> plain = Codecs.json(Order.class);
        Codec<Order> named = Codecs.json(Order.class, "order");
        assertTrue(plain.accepts("json"));
        assertTrue(plain.accepts("json:order"));
        assertTrue(plain.accepts("json:com.example.Order"), "files of earlier versions carry the class name");
        assertTrue(named.accepts("json"));
        assertTrue(named.accepts("json:order"));
        assertFalse(named.accepts("json:invoice"));
        assertFalse(plain.accepts("utf8"));
        assertFalse(plain.accepts("jsonl"));
        assertFalse(Jackson2JsonCodec.of(Order.class).named("order").accepts("json:Order"));
    }

    @Test
    void shouldRejectTypeNamesThatDoNotFitOrAreNotPrintableAscii() {
        assertEquals("json:" + "n".repeat(27), Codecs.json(Order.class, "n".repeat(27)).id());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> Codecs.json(Order.class, "n".repeat(28)));
        assertTrue(tooLong.getMessage().contains("1..27"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Codecs.json(Order.class, ""));
        assertThrows(IllegalArgumentException.class, () -> Codecs.json(Order.class, "an order"));
        assertThrows(IllegalArgumentException.class, () -> JacksonJsonCodec.of(Order.class).named("zamówienie"));
    }

    @Test
    void shouldThrowEncodingErrorsAsIllegalArgument() {
        for (Codec<Exploding> codec : List.of(Jackson2JsonCodec.of(Exploding.class),
                JacksonJsonCodec.of(Exploding.class))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> codec.encode(new Exploding("x")));
            assertTrue(e.getMessage().startsWith("cannot encode"), e.getMessage());
        }
    }

    @Test
    void shouldRejectMalformedJsonAndJsonNull() {
        for (Codec<Order> codec : List.of(Jackson2JsonCodec.of(Order.class), JacksonJsonCodec.of(Order.class))) {
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> codec.decode(buffer("{not json".getBytes(StandardCharsets.UTF_8))));
            assertTrue(bad.getMessage().startsWith("message is not JSON"), bad.getMessage());
            IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                    () -> codec.decode(buffer("null".getBytes(StandardCharsets.UTF_8))));
            assertTrue(nul.getMessage().startsWith("message is JSON null"), nul.getMessage());
        }
    }

    @Test
    void shouldDecodeOnlyFromPositionToLimit() {
        byte[] json = Codecs.json(Order.class).encode(ORDER);
        ByteBuffer framed = ByteBuffer.allocate(json.length + 8);
        framed.position(4);
        framed.put(json).put(new byte[] {'x', 'x', 'x', 'x'});
        framed.position(4).limit(4 + json.length);
        assertEquals(ORDER, Jackson2JsonCodec.of(Order.class).decode(framed.duplicate().asReadOnlyBuffer()));
        assertEquals(ORDER, JacksonJsonCodec.of(Order.class).decode(framed.duplicate().asReadOnlyBuffer()));
    }
}
