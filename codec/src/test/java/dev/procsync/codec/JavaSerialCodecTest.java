package dev.procsync.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaSerialCodecTest {
    public record Holder(String name, Object payload) implements Serializable {
    }

    public record Point(int x, int y) implements Serializable {
    }

    @Test
    void shouldRoundTripAllowedClasses() {
        JavaSerialCodec<Holder> codec = JavaSerialCodec.allowing(Holder.class, Point.class);
        Holder h = new Holder("p", new Point(1, 2));
        assertEquals(h, codec.decode(ByteBuffer.wrap(codec.encode(h))));
    }

    @Test
    void shouldRejectClassesOffTheAllowListBeforeBuildingThem() {
        JavaSerialCodec<Holder> codec = JavaSerialCodec.allowing(Holder.class, Point.class);
        byte[] bytes = codec.encode(new Holder("gadget", new ArrayList<>(List.of(1))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.decode(ByteBuffer.wrap(bytes)));
        assertTrue(e.getMessage().contains("allow-list"), e.getMessage());
    }

    @Test
    void shouldKeepIdsShortAndDistinctPerType() {
        String id = JavaSerialCodec.allowing(Holder.class).id();
        assertTrue(id.startsWith("jser:") && id.length() <= 32, id);
        assertTrue(!id.equals(JavaSerialCodec.allowing(Point.class).id()));
        assertEquals("jser:java.lang.String", JavaSerialCodec.allowing(String.class).id());
    }
}
