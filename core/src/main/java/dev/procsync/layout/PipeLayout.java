package dev.procsync.layout;

/**
 * Pipe (kind 14): param 0 = ring capacity C (a power of two), param 1 = duplex 0/1. Two end owner
 * words, one or two ring control blocks ({@link #RING_CONTROL}, relative) and the ring data.
 *
 * <pre>
 *  offset   size  field
 *  128      32    codec id, ASCII, NUL-padded
 *  192      4     end A owner word: 0 never opened, pid open, -1 closed for good
 *  200      8     end A owner start time
 *  256      4     end B owner word
 *  264      8     end B owner start time
 *  320      192   ring 0 control: B -&gt; A (always)
 *  512      192   ring 1 control: A -&gt; B (duplex only)
 *  704      C     ring 0 data, then ring 1 data (duplex only)
 * </pre>
 */
public final class PipeLayout {
    /** Kind code. */
    public static final int KIND = 14;
    /** Layout version. */
    public static final int VERSION = 1;
    /** The codec id. */
    public static final int CODEC_OFFSET = HeaderLayout.LENGTH;
    /** Bytes of the codec id field. */
    public static final int CODEC_ID_LENGTH = 32;
    /** End A's owner word. */
    public static final int SLOT_A = HeaderLayout.LENGTH + 64;
    /** End B's owner word. */
    public static final int SLOT_B = SLOT_A + 64;
    /** An end's start time, relative to its owner word. */
    public static final int SLOT_START = 8;
    /** Ring 0's control block (B to A). */
    public static final int RING0_CTL = SLOT_B + 64;
    /** Ring 1's control block (A to B, duplex only). */
    public static final int RING1_CTL = RING0_CTL + 192;
    /** Ring 0's data; ring 1's follows it. */
    public static final int DATA_OFFSET = RING1_CTL + 192;
    /** Owner word of an end closed for good. */
    public static final int CLOSED = -1;

    /** Ring control: bytes ever written (relative to the block). */
    public static final int HEAD = 0;
    /** Ring control: futex word readers sleep on. */
    public static final int DATA_SEQ = HEAD + 8;
    /** Ring control: bytes ever read, on its own line. */
    public static final int TAIL = 64;
    /** Ring control: futex word writers sleep on. */
    public static final int SPACE_SEQ = TAIL + 8;
    /** Ring control: readers about to sleep on dataSeq. */
    public static final int READERS_WAITING = 128;
    /** Ring control: writers about to sleep on spaceSeq. */
    public static final int WRITERS_WAITING = READERS_WAITING + 4;
    /** Ring control: free bytes the sleeping writer waits for. */
    public static final int WRITER_WANTS = WRITERS_WAITING + 4;
    /** Ring control block length. */
    public static final int CTL_LENGTH = 192;

    /** The segment's table. */
    public static final LayoutDescriptor DESCRIPTOR = LayoutDescriptor.builder("PIPE", "Pipe", KIND)
            .version(VERSION)
            .field("codecId", CODEC_OFFSET, CODEC_ID_LENGTH, "codec id, ASCII, NUL-padded (e.g. `bytes`, `utf8`)")
            .field("reserved", CODEC_OFFSET + CODEC_ID_LENGTH, SLOT_A - CODEC_OFFSET - CODEC_ID_LENGTH, "zero")
            .field("endA", SLOT_A, 4, "end A owner word: 0 never opened, pid open, −1 closed for good")
            .field("endAStart", SLOT_A + SLOT_START, 8,
                "end A owner start time; 0 until stored (release) after the claiming CAS")
            .field("endB", SLOT_B, 4, "end B owner word")
            .field("endBStart", SLOT_B + SLOT_START, 8, "end B owner start time")
            .field("ring0", RING0_CTL, CTL_LENGTH, "ring 0 control: B → A (always)")
            .field("ring1", RING1_CTL, CTL_LENGTH, "ring 1 control: A → B (duplex only; zero otherwise)")
            .variable("data", DATA_OFFSET, "C or 2C", "ring 0 data, then ring 1 data (duplex only)")
            .constant("CLOSED", CLOSED, "owner word of an end closed for good")
            .build(LayoutDescriptor.VARIABLE);

    /** A ring control block's table (offsets relative to its start). */
    public static final LayoutDescriptor RING_CONTROL = LayoutDescriptor.relative("PIPE_RING",
            "Pipe ring control block")
            .field("head", HEAD, 8, "bytes ever written (writer, release store)")
            .field("dataSeq", DATA_SEQ, 4, "futex word readers sleep on (writer, atomic add)")
            .field("tail", TAIL, 8, "bytes ever read (reader, release store)")
            .field("spaceSeq", SPACE_SEQ, 4, "futex word writers sleep on (reader, atomic add)")
            .field("readersWaiting", READERS_WAITING, 4, "threads about to sleep on dataSeq (reader, atomic ±1)")
            .field("writersWaiting", WRITERS_WAITING, 4, "threads about to sleep on spaceSeq (writer, atomic ±1)")
            .field("writerWants", WRITER_WANTS, 8, "free bytes the sleeping writer waits for (release store)")
            .build(CTL_LENGTH);

    private PipeLayout() {
    }
}
