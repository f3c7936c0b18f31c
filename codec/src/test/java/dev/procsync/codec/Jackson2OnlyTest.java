package dev.procsync.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Run by the {@code only-jackson2} surefire execution, whose class path has Jackson 2 and no Jackson 3. */
class Jackson2OnlyTest {
    public record Order(String id, List<Integer> lines) {
    }

    @Test
    void shouldRunWithoutJackson3() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("tools.jackson.databind.ObjectMapper"));
    }

    @Test
    void shouldPickJackson2AndRoundTrip() {
        Codec<Order> codec = Codecs.json(Order.class, "order");
        assertInstanceOf(Jackson2JsonCodec.class, codec);
        assertEquals("json:order", codec.id());
        Order order = new Order("a", List.of(1, 2));
        assertEquals(order, codec.decode(ByteBuffer.wrap(codec.encode(order))));
        assertEquals("{\"id\":\"b\",\"lines\":[]}",
                new String(Codecs.json(Order.class).encode(new Order("b", List.of())), StandardCharsets.UTF_8));
    }
}
