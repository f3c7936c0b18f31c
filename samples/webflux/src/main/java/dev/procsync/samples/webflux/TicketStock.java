package dev.procsync.samples.webflux;

import dev.procsync.layout.HeaderLayout;
import dev.procsync.Namespace;
import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveLock;
import dev.procsync.reactive.ReactiveProcsync;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import java.util.OptionalLong;
import reactor.core.publisher.Mono;

/**
 * The stock every server process sells from: two longs in a shared segment, read and written
 * only while holding a procsync lock, so that two processes never sell the same ticket.
 * <pre>
 *  offset  size  field
 *  128     8     left    tickets not yet sold (written once, by the process that creates the segment)
 *  136     8     sold    tickets sold so far; the next ticket's number is sold + 1
 * </pre>
 * The lock is taken through its reactive face: a request waiting for it holds no thread.
 */
public final class TicketStock implements AutoCloseable {
    private static final int LEFT = HeaderLayout.LENGTH;
    private static final int SOLD = LEFT + 8;

    private final Segment segment;
    private final ReactiveLock lock;

    /**
     * Opens the stock, creating it with {@code initial} tickets if this is the first process.
     *
     * @param ns      the service's namespace
     * @param rx      the namespace's reactive face
     * @param initial tickets at the start
     */
    public TicketStock(Namespace ns, ReactiveProcsync rx, long initial) {
        this.segment = ns.createOrOpen("stock", SegmentSpec.of(SegmentKind.VALUE, 16), s -> s.setLong(LEFT, initial));
        this.lock = rx.lock("stock-lock");
    }

    /**
     * Takes one ticket.
     *
     * @return a {@code Mono} of the ticket's number, or of empty when sold out
     */
    public Mono<OptionalLong> take() {
        return Mono.usingWhen(lock.acquire(), held -> Mono.fromSupplier(this::takeWhileHeld), Permit::release);
    }

    private OptionalLong takeWhileHeld() {
        long left = segment.getLong(LEFT);
        if (left <= 0) {
            return OptionalLong.empty();
        }
        long number = segment.getLong(SOLD) + 1;
        segment.setLong(LEFT, left - 1);
        segment.setLong(SOLD, number);
        return OptionalLong.of(number);
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
