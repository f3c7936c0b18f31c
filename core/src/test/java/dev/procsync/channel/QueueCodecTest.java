package dev.procsync.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.SegmentMismatchException;
import dev.procsync.codec.Codec;
import dev.procsync.codec.Codecs;
import dev.procsync.codec.Jackson2JsonCodec;
import dev.procsync.codec.JavaSerialCodec;
import dev.procsync.testing.TempRoot;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
                Queue<Order> b = ns.queue("orders", Jackson2JsonCodec.of(Order.class))) {
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
    void shouldRefuseReopenWithJsonOfAnotherTypeName() {
        try (Queue<Order> q = ns.queue("typed", Codecs.json(Order.class, "order"))) {
            assertTrue(q.isEmpty());
            SegmentMismatchException e = assertThrows(SegmentMismatchException.class,
                    () -> ns.queue("typed", Codecs.json(Point.class, "point")));
            assertTrue(e.getMessage().contains("'json:order', not 'json:point'"), e.getMessage());
            assertThrows(SegmentMismatchException.class, () -> ns.queue("typed", Codecs.utf8()));
        }
    }

    @Test
    void shouldOpenNamedJsonQueuesWithAnUnnamedJsonCodec() throws Exception {
        try (Queue<Order> named = ns.queue("either", Codecs.json(Order.class, "order"));
                Queue<Order> plain = ns.queue("either", Codecs.json(Order.class))) {
            named.put(new Order("o-2", 1, List.of()));
            assertEquals("o-2", plain.get().id());
        }
    }

    /** What earlier versions stored for a JSON queue of Order: "json:" and the Java class name. */
    private static final Codec<byte[]> LEGACY_JSON = new Codec<>() {
        @Override
        public String id() {
            return "json:eueCodecTest$Order~1a2b3c4d";
        }

        @Override
        public byte[] encode(byte[] value) {
            return value;
        }

        @Override
        public byte[] decode(ByteBuffer bytes) {
            return Codecs.bytes().decode(bytes);
        }
    };

    @Test
    void shouldOpenQueuesAndPipesCreatedWithClassNamedJsonIds() throws Exception {
        byte[] json = "{\"id\":\"old\",\"quantity\":7,\"tags\":[]}".getBytes(StandardCharsets.UTF_8);
        try (Queue<byte[]> old = ns.queue("legacy", LEGACY_JSON);
                Queue<Order> now = ns.queue("legacy", Codecs.json(Order.class))) {
            old.put(json);
            assertEquals(new Order("old", 7, List.of()), now.get());
        }
        try (Connection<byte[]> oldEnd = Pipe.end(ns, "legacy-pipe", Pipe.End.A, true, 4096, LEGACY_JSON);
                Connection<Order> newEnd = Pipe.end(ns, "legacy-pipe", Pipe.End.B, true, 4096,
                        Jackson2JsonCodec.of(Order.class))) {
            oldEnd.send(json);
            assertEquals(new Order("old", 7, List.of()), newEnd.recv());
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
}
