package dev.procsync.layout;

/**
 * Queue (kind 11), JoinableQueue (kind 12) and SimpleQueue (kind 13): one layout for all three.
 * Param 0 = byte bound B, param 1 = message bound M. The ring is R = B rounded up to a power of
 * two; records ({@link #RECORD}, relative) are 16-aligned.
 *
 * <pre>
 *  offset  size  field
 *  128     4     claimLock    futex word: 0 free, else claimer pid | BIASED (bit 29) | SLEEPERS (bit 30)
 *  136     8     lockStart    claimer's start time
 *  144     8     lastClaimer  token of the handle that published tail last
 *  152     8     putTotal     messages ever claimed
 *  160     8     bias         0, or the bias word of the handle the claim lock is biased to
 *  168     4     inside       1 while the biased handle is inside a claim
 *  172     4     producers    handles that have put and not closed
 *  192     8     head         position/count word; consumers CAS it
 *  256     4     notEmpty     event count (consumers sleep here)
 *  320     4     notFull      event count (producers sleep here)
 *  384     4     shutdown     0 open, 1 shut down
 *  392     8     doneTotal    JoinableQueue taskDone() calls plus skipped records
 *  400     4     joined       event count (join() sleeps here)
 *  408     8     skipped      records skipped (statistics)
 *  448     4     codecLength  bytes of the codec id
 *  452     60    codecId      ASCII, zero padded
 *  512     8     tail         position/count word, on its own line
 *  576     R     ring
 * </pre>
 * The protocol (claim lock, bias, event counts, records) is in {@code dev.procsync.channel.Ring}'s
 * javadoc and docs/layout/queue.md.
 */
public final class QueueLayout {
    /** Kind code of a Queue. */
    public static final int KIND = 11;
    /** Kind code of a JoinableQueue. */
    public static final int JOINABLE_KIND = 12;
    /** Kind code of a SimpleQueue. */
    public static final int SIMPLE_KIND = 13;
    /** Layout version. */
    public static final int VERSION = 1;

    /** The producers' claim lock (futex word). */
    public static final int LOCK = HeaderLayout.LENGTH;
    /** The claimer's start time. */
    public static final int LOCK_START = LOCK + 8;
    /** Token of the handle that published tail last. */
    public static final int LAST_CLAIMER = LOCK_START + 8;
    /** Messages ever claimed. */
    public static final int PUT_TOTAL = LAST_CLAIMER + 8;
    /** The bias word. */
    public static final int BIAS = PUT_TOTAL + 8;
    /** 1 while the biased handle claims. */
    public static final int INSIDE = BIAS + 8;
    /** Handles that have put and not closed. */
    public static final int PRODUCERS = INSIDE + 4;
    /** The consumers' position/count word, on its own line. */
    public static final int HEAD = LOCK + 64;
    /** Event count consumers sleep on, on its own line. */
    public static final int NOT_EMPTY = HEAD + 64;
    /** Event count producers sleep on, on its own line. */
    public static final int NOT_FULL = NOT_EMPTY + 64;
    /** 0 open, 1 shut down. */
    public static final int SHUTDOWN = NOT_FULL + 64;
    /** JoinableQueue: taskDone() calls plus skipped records. */
    public static final int DONE_TOTAL = SHUTDOWN + 8;
    /** JoinableQueue: event count join() sleeps on. */
    public static final int JOINED = DONE_TOTAL + 8;
    /** Records skipped (statistics). */
    public static final int SKIPPED = JOINED + 8;
    /** Bytes of the codec id. */
    public static final int CODEC_LENGTH = SHUTDOWN + 64;
    /** The codec id. */
    public static final int CODEC_ID = CODEC_LENGTH + 4;
    /** Most bytes of a codec id. */
    public static final int CODEC_ID_MAX = 60;
    /** The producers' position/count word, on its own line. */
    public static final int TAIL = CODEC_ID + CODEC_ID_MAX;
    /** The ring. */
    public static final int RING = TAIL + 64;
    /** Bytes of a record's header. */
    public static final int RECORD_HEADER = 16;

    /** claimLock bit: a thread may sleep on the word. */
    public static final int SLEEPERS = LockLayout.SLEEPERS;
    /** claimLock bit: kept by the handle the lock is biased to. */
    public static final int BIASED = 1 << 29;
    /** claimLock bits holding the claimer's pid. */
    public static final int PID_MASK = LockLayout.PID_MASK;
    /** Record state bit 63: claimed, data being copied. */
    public static final long IN_PROGRESS = Long.MIN_VALUE;
    /** Record state bit 62: the claimer's copy failed; consumers skip it. */
    public static final long ABANDONED = 1L << 62;
    /** Record state bits holding the data length. */
    public static final long LENGTH_MASK = ABANDONED - 1;
    /** Positions are kept modulo 2^44. */
    public static final long POS_MASK = (1L << 44) - 1;
    /** Bits of a position/count word holding the count. */
    public static final int COUNT_BITS = 24;
    /** Mask of those bits. */
    public static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
    /** Event count bit 0: a waiter sleeps on the word. */
    public static final int WAITERS = 1;

    /** The control block's table. */
    public static final LayoutDescriptor DESCRIPTOR = LayoutDescriptor.builder("QUEUE", "Queue", KIND)
            .version(VERSION)
            .field("claimLock", LOCK, 4,
                    "futex word: 0 free, else holder pid (bits 0–21) \\| `BIASED` (bit 29) \\| `SLEEPERS` (bit 30)")
            .field("lockStart", LOCK_START, 8, "holder's start time, plain store right after the acquiring CAS")
            .field("lastClaimer", LAST_CLAIMER, 8,
                    "token of the handle that published `tail` last "
                    + "(pid << 32 \\| handle number \\| bit 63; 0 after a repair)")
            .field("putTotal", PUT_TOTAL, 8, "records ever claimed (u64); lock holder only, release store")
            .field("bias", BIAS, 8,
                    "0, or the bias word of the handle the claim lock is biased to "
                    + "(bit 63 \\| pid << 32 \\| a bias number)")
            .field("inside", INSIDE, 4, "1 while the biased handle is inside a claim (written only by it)")
            .field("producers", PRODUCERS, 4,
                    "handles that have put and not closed (a dead process's stay counted); "
                    + "the lock is biased only while 1")
            .field("head", HEAD, 8, "position/count word; consumers CAS it")
            .field("notEmpty", NOT_EMPTY, 4, "event count: consumers sleep here")
            .field("notFull", NOT_FULL, 4, "event count: producers sleep here")
            .field("shutdown", SHUTDOWN, 4, "0 open, 1 shut down (permanent, under `claimLock`)")
            .field("doneTotal", DONE_TOTAL, 8, "JoinableQueue `taskDone()` calls plus skipped records (u64)")
            .field("joined", JOINED, 4, "event count: JoinableQueue `join()` sleeps here")
            .field("skipped", SKIPPED, 8, "records skipped because their claimer died or abandoned them")
            .field("codecLength", CODEC_LENGTH, 4, "bytes in `codecId`")
            .field("codecId", CODEC_ID, CODEC_ID_MAX, "ASCII codec id, zero padded")
            .field("tail", TAIL, 8, "position/count word, on its own line; lock holder only, release store")
            .variable("ring", RING, "R", "the ring: R = param 0 rounded up to a power of two")
            .constant("JOINABLE_KIND", JOINABLE_KIND, "kind code of a JoinableQueue (same layout)")
            .constant("SIMPLE_KIND", SIMPLE_KIND, "kind code of a SimpleQueue (same layout)")
            .constant("PID_MASK", PID_MASK, "claimLock bits 0–21: the holder's pid")
            .constant("BIASED", BIASED, "claimLock bit 29: kept by the biased handle between its puts")
            .constant("SLEEPERS", SLEEPERS, "claimLock bit 30: a thread may sleep on the word")
            .constant("WAITERS", WAITERS, "event count bit 0: a waiter sleeps on the word")
            .constant("COUNT_BITS", COUNT_BITS,
                "head/tail bits 0–23: records passed mod 2^24; bits 24–63: position / 16")
            .constant("POS_MASK", POS_MASK, "positions are kept modulo 2^44")
            .build(LayoutDescriptor.VARIABLE);

    /** A record's table (offsets relative to the record; records are 16-aligned). */
    public static final LayoutDescriptor RECORD = LayoutDescriptor.relative("QUEUE_RECORD", "Queue record")
            .field("state", 0, 8, "bit 63 `IN_PROGRESS`, bit 62 `ABANDONED`, bits 0–61 data length L")
            .field("owner", 8, 8, "claimer pid (bits 0–21) \\| start time << 22")
            .variable("data", RECORD_HEADER, "L", "the codec's bytes; the record takes align16(16 + L)")
            .constant("IN_PROGRESS", IN_PROGRESS, "state bit 63: claimed, data being copied")
            .constant("ABANDONED", ABANDONED, "state bit 62: the claimer's copy failed; consumers skip it")
            .build(LayoutDescriptor.VARIABLE);

    private QueueLayout() {
    }
}
