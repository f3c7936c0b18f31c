package dev.procsync.samples.webflux;

import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveSemaphore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * {@code POST /tickets/purchase} sells one ticket: 200 with the sale, 409 when sold out, 503 when
 * every issuing permit (across all processes) stays busy for longer than the configured wait.
 * {@code GET /tickets} shows what is left; {@code GET /tickets/sales} streams this process's sales
 * as server-sent events.
 *
 * <p>Every procsync wait here goes through the reactive face: no request holds a thread while it
 * waits for the stock's lock or for an issuing permit.
 */
@RestController
@RequestMapping("/tickets")
public class TicketHandler {
    private static final long PID = ProcessHandle.current().pid();

    private final TicketStock stock;
    private final ReactiveSemaphore issuers;
    private final Duration wait;
    private final Duration issueTime;
    private final Sinks.Many<Sale> sales = Sinks.many().multicast().directBestEffort();

    /** One sold ticket: its number, the process that sold it, and the stock left after it. */
    public record Sale(long ticket, long server, long left) {
    }

    /**
     * Creates the handler.
     *
     * @param stock     the shared stock
     * @param issuers   the cross-process bound on concurrent issuing
     * @param wait      longest wait for an issuing permit before 503
     * @param issueTime how long issuing one ticket takes (the expensive work)
     */
    public TicketHandler(TicketStock stock, ReactiveSemaphore issuers, @Value("${tickets.issue-wait}") Duration wait,
            @Value("${tickets.issue-time}") Duration issueTime) {
        this.stock = stock;
        this.issuers = issuers;
        this.wait = wait;
        this.issueTime = issueTime;
    }

    /**
     * Buys one ticket. Waiting for an issuing permit holds no thread; a request that gets none in
     * time is answered 503.
     *
     * @param waitMs longest wait for an issuing permit in milliseconds (default: the configured wait)
     * @return the sale, or the reason there is none
     */
    @PostMapping("/purchase")
    public Mono<ResponseEntity<Object>> purchase(@RequestParam(name = "waitMs", required = false) Long waitMs) {
        Duration patience = waitMs == null ? wait : Duration.ofMillis(waitMs);
        // usingWhen gives the permit back however the work ends: success, error or cancellation.
        return Mono.usingWhen(issuers.acquire(patience), permit -> issue(), Permit::release)
                .onErrorResume(TimeoutException.class, e -> Mono.just(ResponseEntity
                        .status(HttpStatus.SERVICE_UNAVAILABLE)
                        .body(Map.of("error", "all issuers busy for " + patience.toMillis() + " ms, try again"))));
    }

    private Mono<ResponseEntity<Object>> issue() {
        return stock.take().flatMap(ticket -> {
            if (ticket.isEmpty()) {
                return Mono.just(ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "sold out")));
            }
            // Issuing the ticket: the expensive work the semaphore bounds.
            return Mono.delay(issueTime).map(x -> {
                Sale sale = new Sale(ticket.get().number(), PID, ticket.get().left());
                synchronized (sales) { // a sink accepts one signal at a time
                    sales.tryEmitNext(sale);
                }
                return ResponseEntity.ok(sale);
            });
        });
    }

    /** What is left. @return {@code {"left": n}} */
    @GetMapping
    public Mono<Map<String, Long>> left() {
        return stock.left().map(n -> Map.of("left", n));
    }

    /**
     * This process's sales as they happen, after a {@code connected} comment that is sent once the
     * stream is registered (so a client knows from when on it misses nothing).
     *
     * @return the stream
     */
    @GetMapping(path = "/sales", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<Sale>> sales() {
        // merge subscribes in order: the sink first, then the comment is sent.
        return Flux.merge(sales.asFlux().map(s -> ServerSentEvent.builder(s).event("sale").build()),
                Mono.just(ServerSentEvent.<Sale>builder().comment("connected").build()));
    }
}
