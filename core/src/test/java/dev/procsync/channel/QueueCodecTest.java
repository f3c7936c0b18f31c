package dev.procsync.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.SegmentMismatchException;
import dev.procsync.testing.TempRoot;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueueCodecTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("codec");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    public record Order(String id, int quantity, List<String> tags) {
    }

    public static final class NoProperties {
    }

    public record Holder(String name, Object payload) implements Serializable {
    }

    public record Point(int x, int y) implements Serializable {
    }

    @Test
    void shouldCarryJsonRecordsBetweenHandles() throws Exception {
        try (Queue<Order> a = ns.queue("orders", Codecs.json(Order.class));
                Queue<Order> b = ns.queue("orders", JsonCodec.of(Order.class))) {
            Order order = new Order("o-1", 3, List.of("red", "big"));
            a.put(order);
            assertEquals(order, b.get());
            ByteBuffer raw = ByteBuffer.allocate(256);
            a.put(order);
            int n = b.getBytes(raw);
            assertEquals("{\"id\":\"o-1\",\"quantity\":3,\"tags\":[\"red\",\"big\"]}",
                    new String(raw.array(), 0, n, StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldKeepJsonCodecIdsShortAndDistinct() {
        String id = JsonCodec.of(Order.class).id();
        assertTrue(id.startsWith("json:") && id.length() <= 32, id);
        assertTrue(!id.equals(JsonCodec.of(Holder.class).id()));
        assertEquals("json:java.lang.String", JsonCodec.of(String.class).id());
    }

    @Test
    void shouldThrowJsonEncodingErrorsFromPutWithNothingWritten() {
        try (Queue<NoProperties> q = ns.queue("bad", Codecs.json(NoProperties.class))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.put(new NoProperties()));
            assertTrue(e.getMessage().contains("cannot encode"), e.getMessage());
            assertTrue(q.isEmpty());
        }
    }

    @Test
    void shouldRejectMalformedJsonOnGet() throws Exception {
        try (Queue<Order> q = ns.queue("garbage", Codecs.json(Order.class))) {
            q.putBytes(ByteBuffer.wrap("{not json".getBytes(StandardCharsets.UTF_8)));
            q.putBytes(ByteBuffer.wrap("null".getBytes(StandardCharsets.UTF_8)));
            assertThrows(IllegalArgumentException.class, q::get);
            assertThrows(IllegalArgumentException.class, q::get);
        }
    }

    @Test
    void shouldRefuseReopenWithJsonOfAnotherType() {
        try (Queue<Order> q = ns.queue("typed", Codecs.json(Order.class))) {
            assertTrue(q.isEmpty());
            assertThrows(SegmentMismatchException.class, () -> ns.queue("typed", Codecs.json(Point.class)));
        }
    }

    @Test
    void shouldRoundTripAllowedClassesWithJavaSerialization() throws Exception {
        JavaSerialCodec<Holder> codec = JavaSerialCodec.allowing(Holder.class, Point.class);
        try (Queue<Holder> q = ns.queue("ser", codec)) {
            Holder h = new Holder("p", new Point(1, 2));
            q.put(h);
            assertEquals(h, q.get());
        }
    }

    @Test
    void shouldRejectClassesOffTheAllowListBeforeBuildingThem() {
        JavaSerialCodec<Holder> codec = JavaSerialCodec.allowing(Holder.class, Point.class);
        byte[] bytes = codec.encode(new Holder("gadget", new ArrayList<>(List.of(1))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.decode(ByteBuffer.wrap(bytes)));
        assertTrue(e.getMessage().contains("allow-list"), e.getMessage());
    }
}
