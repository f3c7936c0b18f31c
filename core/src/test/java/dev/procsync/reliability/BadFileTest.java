package dev.procsync.reliability;

import dev.procsync.layout.HeaderLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import dev.procsync.sync.Lock;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bad segment files, opened in a child JVM so that a SIGBUS/SIGSEGV shows up as a failed exit code
 * (with the hs_err report in the output), not as a lost test run. Each must be an exception naming
 * the file and the problem.
 */
class BadFileTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("bad");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /** Child: opens each named file as a Lock and prints one line per name: RESULT name|class|message. */
    public static final class Opener {
        public static void main(String[] args) {
            try (Namespace ns = TempRoot.openFromArgs(args)) {
                for (int i = 2; i < args.length; i++) {
                    try (Lock lock = ns.lock(args[i])) {
                        lock.tryAcquire();
                        System.out.println("RESULT " + args[i] + "|OPENED|" + lock);
                    } catch (Throwable t) {
                        System.out.println("RESULT " + args[i] + "|" + t.getClass().getSimpleName() + "|"
                                + String.valueOf(t.getMessage()).replace('\n', ' '));
                    }
                }
            }
            System.out.println("DONE");
        }
    }

    private byte[] validLockBytes() throws Exception {
        try (Lock template = ns.lock("template")) {
            return Files.readAllBytes(template.segment().path());
        }
    }

    /** Writes a file of this user with the namespace's mode (0600), so that only its contents are bad. */
    private void write(String name, byte[] bytes) throws Exception {
        Files.write(ns.directory().resolve(name), bytes);
        Files.setPosixFilePermissions(ns.directory().resolve(name), PosixFilePermissions.fromString("rw-------"));
    }

    private static byte[] patchLong(byte[] file, int offset, long value) {
        byte[] copy = file.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(offset, value);
        return copy;
    }

    private static byte[] patchInt(byte[] file, int offset, int value) {
        byte[] copy = file.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return copy;
    }

    @Test
    void shouldRejectEveryKindOfBadFileWithAnExceptionNamingTheFile() throws Exception {
        byte[] valid = validLockBytes();
        Map<String, String> expected = new LinkedHashMap<>(); // name -> words the message must contain
        write("zero-length", new byte[0]);
        expected.put("zero-length", "0 bytes is shorter than the 128-byte header");
        write("short-header", Arrays.copyOf(valid, 60));
        expected.put("short-header", "60 bytes is shorter than the 128-byte header");
        write("short-body", Arrays.copyOf(valid, 2048));
        expected.put("short-body", "header says 4096 bytes but the file has 2048");
        byte[] magic = valid.clone();
        System.arraycopy("NOTPROCS".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, magic, 0, 8);
        write("wrong-magic", magic);
        expected.put("wrong-magic", "not a procsync segment");
        write("newer-version", patchInt(valid, HeaderLayout.VERSION_OFFSET, SegmentKind.LOCK.layoutVersion() + 1));
        expected.put("newer-version", "written by a newer procsync");
        write("unknown-kind", patchInt(valid, HeaderLayout.KIND_OFFSET, 99));
        expected.put("unknown-kind", "unknown segment kind code 99");
        write("never-ready", patchInt(valid, HeaderLayout.READY_OFFSET, 0));
        expected.put("never-ready", "not published as ready");
        write("part-page", Arrays.copyOf(patchLong(valid, HeaderLayout.TOTAL_LENGTH_OFFSET, 6000), 6000));
        expected.put("part-page", "6000 bytes is not a whole number of 4096-byte pages");
        byte[] passwd = new byte[4096];
        byte[] line = "root:x:0:0:root:/root:/bin/bash\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(line, 0, passwd, 0, line.length);
        write("passwd-like", passwd);
        expected.put("passwd-like", "not a procsync segment");
        write("too-open", valid);
        Files.setPosixFilePermissions(ns.directory().resolve("too-open"), PosixFilePermissions.fromString("rw-rw-rw-"));
        expected.put("too-open", "file mode 0666 is wider than the 0600");
        Files.createSymbolicLink(ns.directory().resolve("a-link"), ns.directory().resolve("template"));
        expected.put("a-link", "symbolic link");
        ns.createOrOpen("a-value", SegmentSpec.of(SegmentKind.VALUE, 8), s -> { }).close();
        expected.put("a-value", "is a VALUE, not a LOCK");
        Random random = new Random(20261122L);
        for (int size : new int[] {1, 127, 128, 4096, 8192}) {
            byte[] noise = new byte[size];
            random.nextBytes(noise);
            write("random-" + size, noise);
            expected.put("random-" + size, size < 128 ? "shorter than the 128-byte header" : "not a procsync segment");
        }
        byte[] noiseWithMagic = new byte[4096];
        random.nextBytes(noiseWithMagic);
        System.arraycopy(valid, 0, noiseWithMagic, 0, 8);
        write("random-with-magic", noiseWithMagic);
        expected.put("random-with-magic", ""); // version, kind or ready word: whichever check meets the noise first
        Files.createDirectory(ns.directory().resolve("a-directory"));
        expected.put("a-directory", "Is a directory");
        try (RandomAccessFile huge = new RandomAccessFile(ns.directory().resolve("too-big").toFile(), "rw")) {
            huge.setLength(3L << 30); // sparse on tmpfs: costs nothing
        }
        Files.setPosixFilePermissions(ns.directory().resolve("too-big"), PosixFilePermissions.fromString("rw-------"));
        expected.put("too-big", "is larger than any segment");

        Map<String, String> outcomes = runOpener(expected.keySet().toArray(String[]::new));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String outcome = outcomes.get(e.getKey());
            Path file = ns.directory().resolve(e.getKey());
            assertTrue(outcome != null && !outcome.startsWith("OPENED"), e.getKey() + " opened: " + outcome);
            assertTrue(outcome.contains(file.toString())
                    || outcome.contains(ns.directory().toString()) && outcome.contains("'" + e.getKey() + "'"),
                    e.getKey() + ": message must name " + file + ": " + outcome);
            assertTrue(outcome.contains(e.getValue()), e.getKey() + ": message must say '" + e.getValue() + "': "
                    + outcome);
            assertTrue(outcome.startsWith("InvalidSegmentException") || outcome.startsWith("SegmentMismatchException")
                    || outcome.startsWith("ProcsyncException") || outcome.startsWith("UntrustedFileException"),
                    e.getKey() + ": " + outcome);
            // Nothing read from a foreign file is quoted: not as text, not as the hex of a little-endian long.
            assertTrue(!outcome.contains("root:x") && !outcome.contains("303a783a746f6f72"), outcome);
        }
        System.out.println("[reliability] bad files tried: " + expected.size());
    }

    private Map<String, String> runOpener(String... names) throws Exception {
        try (Children children = new Children()) {
            ChildProcess child = children.start(Opener.class, root.childArgs("bad", names));
            int code = child.joinExitCode(Children.JOIN);
            assertEquals(0, code, () -> "the opener crashed (exit " + code + "):\n" + child.output());
            Map<String, String> outcomes = new LinkedHashMap<>();
            for (String line : child.output().split("\n")) {
                if (line.startsWith("RESULT ")) {
                    String[] parts = line.substring(7).split("\\|", 2);
                    outcomes.put(parts[0], parts[1]);
                }
            }
            return outcomes;
        }
    }
}
