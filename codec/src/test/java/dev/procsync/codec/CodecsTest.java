package dev.procsync.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CodecsTest {
    @Test
    void shouldNameEveryBuiltInByItsWireFormat() {
        assertEquals("bytes", Codecs.bytes().id());
        assertEquals("bytes", Codecs.byteBuffer().id());
        assertEquals("utf8", Codecs.utf8().id());
        assertEquals("int32", Codecs.int32().id());
        assertEquals("int64", Codecs.int64().id());
        assertEquals("float64", Codecs.float64().id());
    }

    @Test
    void shouldWriteNumbersLittleEndian() {
        assertArrayEquals(new byte[] {1, 2, 0, 0}, Codecs.int32().encode(0x0201));
        assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 0, 0, (byte) 0x80}, Codecs.int64().encode(Long.MIN_VALUE + 1));
        assertEquals(1.5, Codecs.float64().decode(ByteBuffer.wrap(Codecs.float64().encode(1.5))));
        assertEquals(-7, Codecs.int32().decode(ByteBuffer.wrap(Codecs.int32().encode(-7))));
    }

    @Test
    void shouldRejectNumbersOfTheWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Codecs.int64().decode(ByteBuffer.allocate(4)));
        assertEquals("int64 message must be 8 bytes, got 4", e.getMessage());
    }

    @Test
    void shouldRejectMalformedUtf8InsteadOfReplacingIt() {
        ByteBuffer truncated = ByteBuffer.wrap(new byte[] {(byte) 0xC3});
        assertThrows(IllegalArgumentException.class, () -> Codecs.utf8().decode(truncated));
        assertThrows(IllegalArgumentException.class, () -> Codecs.utf8().encode("\uD800"));
        assertEquals("żółw", Codecs.utf8().decode(ByteBuffer.wrap("żółw".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void shouldAcceptOnlyTheirOwnIdByDefault() {
        assertTrue(Codecs.utf8().accepts("utf8"));
        assertFalse(Codecs.utf8().accepts("bytes"));
        assertFalse(Codecs.bytes().accepts("json"));
    }
}
