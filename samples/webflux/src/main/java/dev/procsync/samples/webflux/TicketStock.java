package dev.procsync.samples.webflux;

import dev.procsync.reactive.ReactiveLock;
import dev.procsync.reactive.ReactiveProcsync;
import dev.procsync.reactive.ReactiveValue;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * The stock every server process sells from: two shared values, {@code stock-left} (tickets not
 * yet sold) and {@code stock-sold} (the last ticket number sold), read and written only while
 * holding the lock {@code stock-lock}, so that two processes never sell the same ticket. The
 * code names no backend: the same class sells from shared memory (processes on one host) or from
 * Redis (processes on several hosts).
 *
 * <p>The lock is taken through its reactive face: a request waiting for it holds no thread.
 */
public final class TicketStock implements AutoCloseable {
    private final ReactiveLock lock;
    private final ReactiveValue<Long> left;
    private final ReactiveValue<Long> sold;
    private final ReactiveValue<Boolean> filled;

    /** One ticket taken: its number and how many were left after it. */
    public record Ticket(long number, long left) {
    }

    /**
     * Opens the stock's lock and values in {@code rx}.
     *
     * @param rx the service's procsync backend
     */
    public TicketStock(ReactiveProcsync rx) {
        this.lock = rx.lock("stock-lock");
        this.left = rx.longValue("stock-left");
        this.sold = rx.longValue("stock-sold");
        this.filled = rx.booleanValue("stock-filled");
    }

    /**
     * Puts {@code initial} tickets in the stock, unless a process did already (the first one to
     * start fills it; the others find it filled).
     *
     * @param initial tickets at the start
     * @return a {@code Mono} completing once the stock is filled
     */
    public Mono<Void> fill(long initial) {
        return lock.withPermit(held -> filled.get()
                .flatMap(done -> done ? Mono.<Void>empty() : left.set(initial).then(filled.set(true))));
    }

    /**
     * Takes one ticket.
     *
     * @return a {@code Mono} of the ticket, or of empty when sold out
     */
    public Mono<Optional<Ticket>> take() {
        return lock.withPermit(held -> left.get().flatMap(n -> n <= 0 ? Mono.just(Optional.<Ticket>empty())
                : sold.get().flatMap(last -> left.set(n - 1).then(sold.set(last + 1))
                        .thenReturn(Optional.of(new Ticket(last + 1, n - 1))))));
    }

    /**
     * Tickets left now (a snapshot).
     *
     * @return a {@code Mono} of the count
     */
    public Mono<Long> left() {
        return left.get();
    }

    /** Closes this process's handles; the stock stays for the other processes. */
    @Override
    public void close() {
        lock.close();
        left.close();
        sold.close();
        filled.close();
    }
}
