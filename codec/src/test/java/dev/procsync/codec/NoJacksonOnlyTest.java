package dev.procsync.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Run by the {@code no-jackson} surefire execution: procsync-codec alone, as its POM requires it. */
class NoJacksonOnlyTest {
    @Test
    void shouldNameBothJacksonLinesWhenJsonIsAskedFor() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Codecs.json(String.class));
        assertTrue(e.getMessage().contains("tools.jackson.core:jackson-databind (Jackson 3)"), e.getMessage());
        assertTrue(e.getMessage().contains("com.fasterxml.jackson.core:jackson-databind (Jackson 2)"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Codecs.json(String.class, "text"));
    }

    @Test
    void shouldServeEveryOtherCodecWithoutJackson() {
        assertEquals("hi", Codecs.utf8().decode(ByteBuffer.wrap(Codecs.utf8().encode("hi"))));
        assertEquals(7L, Codecs.int64().decode(ByteBuffer.wrap(Codecs.int64().encode(7L))));
    }
}
