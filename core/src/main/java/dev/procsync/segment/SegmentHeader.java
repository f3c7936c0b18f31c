package dev.procsync.segment;

import dev.procsync.InvalidSegmentException;
import dev.procsync.layout.HeaderLayout;
import java.nio.file.Path;

/**
 * Checks the header every segment file starts with; its layout (offsets, magic, ready value) is
 * {@link HeaderLayout}, the one descriptor every reader uses.
 */
public final class SegmentHeader {
    /** Every segment file's length is a whole number of these. */
    public static final int PAGE = 4096;
    /** What a file without the magic is called; nothing read from such a file is ever quoted. */
    static final String NOT_A_SEGMENT = "not a procsync segment (it does not start with the procsync magic)";

    private SegmentHeader() {
    }

    /**
     * Checks a mapped header against the file it came from.
     *
     * @param segment    the mapping
     * @param path       the file, for messages
     * @param fileLength the file's length when it was mapped
     * @return the stored kind
     */
    static SegmentKind validate(Segment segment, Path path, long fileLength) {
        long magic = segment.getLongAcquire(HeaderLayout.MAGIC_OFFSET);
        if (magic != HeaderLayout.MAGIC) {
            throw new InvalidSegmentException(path + ": " + NOT_A_SEGMENT);
        }
        long total = segment.getLongAcquire(HeaderLayout.TOTAL_LENGTH_OFFSET);
        if (total != fileLength) {
            throw new InvalidSegmentException(path + ": header says " + total + " bytes but the file has "
                    + fileLength + " (truncated or damaged)");
        }
        if (total % PAGE != 0) {
            throw new InvalidSegmentException(path + ": " + total + " bytes is not a whole number of " + PAGE
                    + "-byte pages, as every segment is");
        }
        int bodyOffset = segment.getIntAcquire(HeaderLayout.BODY_OFFSET_OFFSET);
        if (bodyOffset != HeaderLayout.LENGTH) {
            throw new InvalidSegmentException(path + ": body offset " + bodyOffset + ", expected "
                    + HeaderLayout.LENGTH);
        }
        int code = segment.getIntAcquire(HeaderLayout.KIND_OFFSET);
        SegmentKind kind = SegmentKind.fromCode(code);
        if (kind == null) {
            throw new InvalidSegmentException(path + ": unknown segment kind code " + code);
        }
        int version = segment.getIntAcquire(HeaderLayout.VERSION_OFFSET);
        int reads = kind.layoutVersion();
        if (!kind.readsLayoutVersion(version)) {
            throw new InvalidSegmentException(path + ": " + kind + " layout version " + version
                    + " but this build reads "
                    + reads + (version > reads ? " (written by a newer procsync)" : " (written by an older procsync)"));
        }
        return kind;
    }
}
