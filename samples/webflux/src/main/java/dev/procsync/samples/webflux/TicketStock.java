package dev.procsync.samples.webflux;

import dev.procsync.Namespace;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentHeader;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import dev.procsync.sync.Lock;
import java.util.OptionalLong;

/**
 * The stock every server process sells from: two longs in a shared segment, read and written
 * only under a procsync {@link Lock}, so that two processes never sell the same ticket.
 * <pre>
 *  offset  size  field
 *  128     8     left    tickets not yet sold (written once by the process that creates the segment)
 *  136     8     sold    tickets sold so far; the next ticket's number is sold + 1
 * </pre>
 * The calls block (briefly): the web layer runs them off the event loop.
 */
public final class TicketStock implements AutoCloseable {
    private static final int LEFT = SegmentHeader.LENGTH;
    private static final int SOLD = LEFT + 8;

    private final Segment segment;
    private final Lock lock;

    /**
     * Opens the stock, creating it with {@code initial} tickets if this is the first process.
     *
     * @param ns      the service's namespace
     * @param initial tickets at the start
     */
    public TicketStock(Namespace ns, long initial) {
        this.segment = ns.createOrOpen("stock", SegmentSpec.of(SegmentKind.VALUE, 16), s -> s.setLong(LEFT, initial));
        this.lock = ns.lock("stock-lock");
    }

    /**
     * Takes one ticket.
     *
     * @return the ticket's number, or empty when sold out
     * @throws InterruptedException if interrupted while waiting for the lock
     */
    public OptionalLong take() throws InterruptedException {
        lock.acquire();
        try {
            long left = segment.getLong(LEFT);
            if (left <= 0) {
                return OptionalLong.empty();
            }
            long number = segment.getLong(SOLD) + 1;
            segment.setLong(LEFT, left - 1);
            segment.setLong(SOLD, number);
            return OptionalLong.of(number);
        } finally {
            lock.release();
        }
    }

    /** Tickets left now (a snapshot). */
    public long left() {
        return segment.getLongAcquire(LEFT);
    }

    /** Closes this process's handles; the stock stays for the other processes. */
    @Override
    public void close() {
        lock.close();
        segment.close();
    }
}
