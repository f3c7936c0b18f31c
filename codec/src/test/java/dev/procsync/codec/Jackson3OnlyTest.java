package dev.procsync.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Run by the {@code only-jackson3} surefire execution, whose class path has Jackson 3 and no
 * Jackson 2: an application on Spring Boot 4.
 */
class Jackson3OnlyTest {
    public record Order(String id, List<Integer> lines) {
    }

    @Test
    void shouldRunWithoutJackson2() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.fasterxml.jackson.databind.ObjectMapper"));
    }

    @Test
    void shouldPickJackson3AndRoundTrip() {
        Codec<Order> codec = Codecs.json(Order.class, "order");
        assertInstanceOf(JacksonJsonCodec.class, codec);
        assertEquals("json:order", codec.id());
        Order order = new Order("a", List.of(1, 2));
        assertEquals(order, codec.decode(ByteBuffer.wrap(codec.encode(order))));
        assertEquals("{\"id\":\"b\",\"lines\":[]}",
                new String(Codecs.json(Order.class).encode(new Order("b", List.of())), StandardCharsets.UTF_8));
    }
}
