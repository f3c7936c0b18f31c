package dev.procsync.channel;

import dev.procsync.layout.HeaderLayout;
import dev.procsync.Namespace;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Shared bookkeeping for the cross-process queue tests: which (producer, sequence) messages were
 * put (a watermark per producer, stored after put returned) and which were delivered (a bitmap per
 * producer, set by consumers with an atomic OR), plus duplicate and FIFO-violation counters.
 * Messages are {@code [producer int][seq int][filler]}.
 */
final class Ledger implements AutoCloseable {
    static final int PRODUCERS = 64;
    static final int SEQ_LIMIT = 1 << 20;
    private static final int DUPLICATES = HeaderLayout.LENGTH;
    private static final int FIFO_VIOLATIONS = DUPLICATES + 8;
    private static final int DELIVERED = DUPLICATES + 64;
    private static final int COMMITTED = DUPLICATES + 128;
    private static final int BITMAPS = COMMITTED + PRODUCERS * 8;
    private static final int BITMAP_BYTES = SEQ_LIMIT / 8;

    final Segment segment;
    private final int[] lastSeq = new int[PRODUCERS];

    Ledger(Namespace ns) {
        segment = ns.createOrOpen("ledger", SegmentSpec.of(SegmentKind.ARRAY,
                BITMAPS - HeaderLayout.LENGTH + (long) PRODUCERS * BITMAP_BYTES), s -> { });
        java.util.Arrays.fill(lastSeq, -1);
    }

    static ByteBuffer message(int producer, int seq, int length) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(8, length)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, producer).putInt(4, seq);
        for (int i = 8; i < b.capacity(); i++) {
            b.put(i, (byte) (seq + i));
        }
        return b;
    }

    void committed(int producer, int seq) {
        segment.setLongRelease(COMMITTED + producer * 8, seq + 1L);
    }

    long committedCount(int producer) {
        return segment.getLongAcquire(COMMITTED + producer * 8);
    }

    /** Records a delivery; checks the filler and this consumer's FIFO order per producer. */
    void delivered(ByteBuffer m) {
        m = m.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int producer = m.getInt(m.position());
        int seq = m.getInt(m.position() + 4);
        // Every 61st byte and the last: catches torn or misplaced copies without making consumers slow.
        for (int i = 8; i < m.remaining(); i = i + 61 < m.remaining() || i == m.remaining() - 1 ? i + 61
                : m.remaining() - 1) {
            if (m.get(m.position() + i) != (byte) (seq + i)) {
                throw new IllegalStateException("corrupt message " + producer + "/" + seq + " at byte " + i);
            }
        }
        if (seq <= lastSeq[producer]) {
            segment.getAndAddLong(FIFO_VIOLATIONS, 1);
        }
        lastSeq[producer] = seq;
        int word = BITMAPS + producer * BITMAP_BYTES + (seq >>> 5) * 4;
        int bit = 1 << (seq & 31);
        if ((segment.getAndBitwiseOrInt(word, bit) & bit) != 0) {
            segment.getAndAddLong(DUPLICATES, 1);
        }
        segment.getAndAddLong(DELIVERED, 1);
    }

    boolean isDelivered(int producer, int seq) {
        return (segment.getIntAcquire(BITMAPS + producer * BITMAP_BYTES + (seq >>> 5) * 4) & 1 << (seq & 31)) != 0;
    }

    long duplicates() {
        return segment.getLongAcquire(DUPLICATES);
    }

    long fifoViolations() {
        return segment.getLongAcquire(FIFO_VIOLATIONS);
    }

    long delivered() {
        return segment.getLongAcquire(DELIVERED);
    }

    @Override
    public void close() {
        segment.close();
    }
}
