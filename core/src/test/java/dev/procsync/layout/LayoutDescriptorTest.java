package dev.procsync.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LayoutDescriptorTest {
    @Test
    void shouldBuildEveryLayoutOfThisBuild() {
        assertEquals(16, Layouts.ALL.size());
        assertEquals(192, SemaphoreLayout.UNDO.field("pid").offset());
        assertEquals(128, LockLayout.DESCRIPTOR.field("state").offset());
        assertEquals(172, QueueLayout.DESCRIPTOR.field("producers").offset());
        assertEquals(576, QueueLayout.RING);
        assertEquals(704, PipeLayout.DATA_OFFSET);
        assertEquals(HeaderLayout.LENGTH, HeaderLayout.DESCRIPTOR.length());
    }

    @Test
    void shouldNameTheOverlappingFieldAndItsNumbers() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LayoutDescriptor
                .builder("X", "X", 99).field("a", 128, 8, "").field("b", 132, 4, "").build(LayoutDescriptor.VARIABLE));
        assertTrue(e.getMessage().contains("'b' at 132 overlaps what ends at 136"), e.getMessage());
    }

    @Test
    void shouldRefuseAMisalignedWord() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LayoutDescriptor
                .builder("X", "X", 99).field("a", 130, 4, "").build(LayoutDescriptor.VARIABLE));
        assertTrue(e.getMessage().contains("'a' of 4 bytes at 130 is not 4-byte aligned"), e.getMessage());
    }

    @Test
    void shouldRefuseABodyFieldInsideTheHeader() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LayoutDescriptor
                .builder("X", "X", 99).field("a", 64, 4, "").build(LayoutDescriptor.VARIABLE));
        assertTrue(e.getMessage().contains("overlaps what ends at 128"), e.getMessage());
    }

    @Test
    void shouldRefuseAFieldAfterAVariableOne() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LayoutDescriptor
                .builder("X", "X", 99).variable("a", 128, "n", "").field("b", 256, 4, "")
                .build(LayoutDescriptor.VARIABLE));
        assertTrue(e.getMessage().contains("must come last"), e.getMessage());
    }

    @Test
    void shouldPlaceFieldsAfterAFixedSlotTable() {
        LayoutDescriptor d = LayoutDescriptor.relative("T", "T").slot("s", 0, 8, 8, 4, "")
                .field("after", 32, 4, "").build(36);
        assertEquals("0 + 8·i", d.field("s").offsetText());
        assertThrows(IllegalStateException.class, () -> LayoutDescriptor.relative("T", "T").slot("s", 0, 8, 8, 4, "")
                .field("after", 24, 4, "").build(36));
    }
}
