package dev.procsync.segment;

import dev.procsync.layout.HeaderLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.ClosedException;
import dev.procsync.InvalidSegmentException;
import dev.procsync.Namespace;
import dev.procsync.SegmentExistsException;
import dev.procsync.SegmentMismatchException;
import dev.procsync.SegmentNotFoundException;
import dev.procsync.process.ChildProcess;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentFilesTest {
    static final int MARK = HeaderLayout.LENGTH;
    static final int COUNT = HeaderLayout.LENGTH + 8;
    static final SegmentSpec SPEC = SegmentSpec.of(SegmentKind.VALUE, 16);
    static final String TOO_LONG = "n23456789012345678901234567890123456789012345678901234567890123456789012345678"
            + "9012345678901234567890123456789012345678901234567890";

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("seg");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /** Child: create-or-open the same name as its siblings, report the creator's mark, count itself in. */
    public static final class Racer {
        public static void main(String[] args) {
            try (Namespace ns = TempRoot.openFromArgs(args)) {
                Segment s = ns.createOrOpen("race", SPEC, seg -> seg.setLong(MARK, ProcessHandle.current().pid()));
                s.getAndAddLong(COUNT, 1);
                System.out.println("MARK " + s.getLongAcquire(MARK));
            }
        }
    }

    @Test
    void shouldInitialiseExactlyOnceWhenProcessesRaceToCreate() throws Exception {
        try (Children children = new Children()) {
            for (int i = 0; i < 4; i++) {
                children.start(Racer.class, root.childArgs("seg"));
            }
            children.joinAllSuccessfully();
            Set<String> marks = new HashSet<>();
            for (ChildProcess child : children.all()) {
                marks.add(child.awaitLine(l -> l.startsWith("MARK "), Children.JOIN));
            }
            assertEquals(1, marks.size(), "every process must see the one creator's initial body: " + marks);
            try (Segment s = ns.open("race", SPEC)) {
                assertEquals(4, s.getLongAcquire(COUNT));
            }
            assertEquals(List.of("race"), ns.names());
            try (var files = Files.list(ns.directory())) {
                assertEquals(1, files.count(), "no temporary creation file may be left");
            }
        }
    }

    @Test
    void shouldNotReinitialiseOnAttach() {
        try (Segment a = ns.createOrOpen("v", SPEC, s -> s.setLong(MARK, 7))) {
            a.setLong(MARK, 42);
            try (Segment b = ns.createOrOpen("v", SPEC, s -> s.setLong(MARK, 7))) {
                assertEquals(42, b.getLongAcquire(MARK));
            }
        }
    }

    @Test
    void shouldCreateFilesOwnerReadWriteOnly() throws Exception {
        try (Segment s = ns.createOrOpen("private", SPEC, x -> { })) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.path())));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ns.directory())));
        }
    }

    @Test
    void shouldRejectOpeningAsAnotherKind() {
        ns.createOrOpen("v", SPEC, s -> { }).close();
        SegmentMismatchException e = assertThrows(SegmentMismatchException.class,
                () -> ns.createOrOpen("v", SegmentSpec.of(SegmentKind.LOCK, 16), s -> { }));
        assertTrue(e.getMessage().contains("VALUE") && e.getMessage().contains("LOCK"), e.getMessage());
        assertTrue(Files.exists(ns.directory().resolve("v")), "a failed open must never remove the file");
    }

    @Test
    void shouldRejectOpeningWithOtherParameters() {
        SegmentSpec three = SegmentSpec.of(SegmentKind.SEMAPHORE, 16, List.of("permits"), 3);
        SegmentSpec four = SegmentSpec.of(SegmentKind.SEMAPHORE, 16, List.of("permits"), 4);
        ns.createOrOpen("s", three, s -> { }).close();
        SegmentMismatchException e = assertThrows(SegmentMismatchException.class,
                () -> ns.createOrOpen("s", four, s -> { }));
        assertTrue(e.getMessage().contains("permits=3") && e.getMessage().contains("permits=4"), e.getMessage());
    }

    @Test
    void shouldFailExclusiveCreateWhenNameExistsAndAttachWhenMissing() {
        ns.create("x", SPEC, s -> { }).close();
        assertThrows(SegmentExistsException.class, () -> ns.create("x", SPEC, s -> { }));
        assertThrows(SegmentNotFoundException.class, () -> ns.open("missing"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "..", ".hidden", "a\u0000b", "with space", "ümlaut", TOO_LONG})
    void shouldRejectInvalidNames(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ns.createOrOpen(name, SPEC, s -> { }));
        assertTrue(e.getMessage().startsWith("invalid name"), e.getMessage());
        assertEquals(List.of(), ns.names());
    }

    private Path writeFile(String name, byte[] content) throws Exception {
        Path p = ns.directory().resolve(name);
        Files.write(p, content);
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    private static byte[] validHeaderBytes(int kind, int version, long total, int length) {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(HeaderLayout.MAGIC_OFFSET, HeaderLayout.MAGIC);
        b.putInt(HeaderLayout.VERSION_OFFSET, version);
        b.putInt(HeaderLayout.KIND_OFFSET, kind);
        b.putLong(HeaderLayout.TOTAL_LENGTH_OFFSET, total);
        b.putInt(HeaderLayout.READY_OFFSET, HeaderLayout.READY);
        b.putInt(HeaderLayout.BODY_OFFSET_OFFSET, HeaderLayout.LENGTH);
        return b.array();
    }

    @Test
    void shouldRejectZeroLengthAndShortFiles() throws Exception {
        writeFile("empty", new byte[0]);
        InvalidSegmentException e = assertThrows(InvalidSegmentException.class, () -> ns.open("empty"));
        assertTrue(e.getMessage().contains("empty") && e.getMessage().contains("0 bytes"), e.getMessage());
        writeFile("short", new byte[100]);
        assertThrows(InvalidSegmentException.class, () -> ns.open("short"));
    }

    @Test
    void shouldRejectForeignMagic() throws Exception {
        byte[] junk = new byte[4096];
        new java.util.Random(1).nextBytes(junk);
        writeFile("junk", junk);
        InvalidSegmentException e = assertThrows(InvalidSegmentException.class, () -> ns.open("junk"));
        assertTrue(e.getMessage().contains("not a procsync segment"), e.getMessage());
    }

    @Test
    void shouldRejectNewerLayoutVersion() throws Exception {
        writeFile("newer", validHeaderBytes(SegmentKind.LOCK.code(), SegmentKind.LOCK.layoutVersion() + 1, 4096, 4096));
        InvalidSegmentException e = assertThrows(InvalidSegmentException.class, () -> ns.open("newer"));
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
    }

    @Test
    void shouldRejectUnknownKindAndLengthMismatch() throws Exception {
        writeFile("alien", validHeaderBytes(999, SegmentKind.LOCK.layoutVersion(), 4096, 4096));
        assertTrue(assertThrows(InvalidSegmentException.class, () -> ns.open("alien")).getMessage()
                .contains("unknown segment kind"));
        writeFile("cut", validHeaderBytes(SegmentKind.LOCK.code(), SegmentKind.LOCK.layoutVersion(), 8192, 4096));
        assertTrue(assertThrows(InvalidSegmentException.class, () -> ns.open("cut")).getMessage()
                .contains("truncated"));
    }

    @Test
    void shouldRejectAFileShorterThanWhatItsHeaderSaysItsKindNeeds() throws Exception {
        ns.barrier("b", 2).close();
        Path file = ns.directory().resolve("b");
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(HeaderLayout.paramOffset(0), 60_000);
        Files.write(file, bytes); // self-consistent header: 4096 bytes, "60000 parties"
        InvalidSegmentException e = assertThrows(InvalidSegmentException.class, () -> ns.barrier("b", 60_000));
        assertTrue(e.getMessage().contains(file.toString())
                && e.getMessage().contains("4096 bytes is shorter than a BARRIER with these parameters needs"),
                e.getMessage());
    }

    @Test
    void shouldRejectTruncatedSegmentOfARealPrimitive() throws Exception {
        ns.lock("l").close();
        try (RandomAccessFile f = new RandomAccessFile(ns.directory().resolve("l").toFile(), "rw")) {
            f.setLength(64);
        }
        assertThrows(InvalidSegmentException.class, () -> ns.lock("l"));
    }

    @Test
    void shouldUnlinkOnlyExplicitly() {
        ns.createOrOpen("u", SPEC, s -> { }).close();
        assertTrue(ns.exists("u"));
        assertTrue(ns.unlink("u"));
        assertFalse(ns.unlink("u"));
        assertFalse(ns.exists("u"));
    }

    @Test
    void shouldThrowClosedExceptionAfterNamespaceClose() {
        Segment s = ns.createOrOpen("c", SPEC, x -> { });
        ns.close();
        assertThrows(ClosedException.class, () -> s.getLong(MARK));
        assertThrows(ClosedException.class, () -> ns.createOrOpen("d", SPEC, x -> { }));
    }

    @Test
    void shouldRejectOutOfRangeOffsets() {
        try (Segment s = ns.createOrOpen("o", SPEC, x -> { })) {
            assertThrows(IndexOutOfBoundsException.class, () -> s.address(s.length()));
            assertThrows(IndexOutOfBoundsException.class, () -> s.address(-4));
            assertThrows(IndexOutOfBoundsException.class, () -> s.address(130));
        }
    }
}
