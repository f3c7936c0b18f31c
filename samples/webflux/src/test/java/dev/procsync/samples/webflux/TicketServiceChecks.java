package dev.procsync.samples.webflux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.process.ChildProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Two real server processes on 127.0.0.1 selling one stock; the test is their client. The same
 * checks run on each backend ({@link TicketServiceTest}: shared memory, {@link TicketServiceRedisTest}:
 * Redis): only how the servers are configured, and how the test holds their issuing permits, differ.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class TicketServiceChecks {
    private static final int STOCK = 20;
    private static final int BUYERS = 60;
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern PORT = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    private final List<ChildProcess> servers = new ArrayList<>();
    private final List<WebClient> clients = new ArrayList<>();

    /** A purchase's outcome as the client saw it. */
    record Outcome(int server, int status, TicketHandler.Sale sale) {
    }

    @BeforeAll
    void startTwoServers() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            servers.add(withBackend(ChildProcess.builder(TicketServiceApplication.class)).captureOutput()
                    .jvmArgs("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto")
                    .args("--server.port=0", "--tickets.namespace=tickets", "--tickets.stock=" + STOCK,
                            "--tickets.issue-wait=30s", "--tickets.issue-time=5ms")
                    .start());
        }
        for (ChildProcess server : servers) {
            Matcher m = PORT.matcher(server.awaitLine(l -> PORT.matcher(l).find(), Duration.ofSeconds(60)));
            assertTrue(m.find());
            clients.add(WebClient.create("http://127.0.0.1:" + m.group(1)));
        }
    }

    @AfterAll
    void stopServers() {
        servers.forEach(ChildProcess::close);
        closeBackend();
    }

    /** Chooses and places the backend of a server process (its arguments or system properties). */
    protected abstract ChildProcess.Builder withBackend(ChildProcess.Builder server);

    /** Takes both of the servers' issuing permits from the test process; running the result gives them back. */
    protected abstract Runnable holdEveryIssuer() throws Exception;

    /** Ends the backend once the servers have stopped. */
    protected abstract void closeBackend();

    @Test
    @Order(1)
    void shouldSellExactlyTheStockThroughBothProcessesAndRefuseTheRest() {
        Flux<ServerSentEvent<TicketHandler.Sale>> salesOfFirst = clients.get(0).get().uri("/tickets/sales")
                .retrieve().bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<TicketHandler.Sale>>() { })
                .replay().autoConnect(0);
        salesOfFirst.next().block(WAIT); // "connected": from here on the stream misses no sale

        List<Outcome> outcomes = Flux.range(0, BUYERS)
                .flatMap(i -> purchase(i % 2, "/tickets/purchase"), BUYERS)
                .collectList().block(WAIT);

        List<Outcome> sold = outcomes.stream().filter(o -> o.status() == 200).collect(Collectors.toList());
        assertEquals(STOCK, sold.size(), () -> "sold " + sold.size() + " of " + STOCK + ": " + outcomes);
        Set<Long> numbers = sold.stream().map(o -> o.sale().ticket()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(LongStream.rangeClosed(1, STOCK).boxed().collect(Collectors.toSet()), numbers,
                "every ticket sold exactly once");
        assertTrue(outcomes.stream().filter(o -> o.status() != 200).allMatch(o -> o.status() == 409),
                () -> "the rest must be refused as sold out: " + outcomes);
        for (WebClient client : clients) {
            assertEquals(Map.of("left", 0), client.get().uri("/tickets").retrieve()
                    .bodyToMono(new ParameterizedTypeReference<Map<String, Integer>>() { }).block(WAIT));
        }

        Set<Long> soldByFirst = sold.stream().filter(o -> o.server() == 0).map(o -> o.sale().ticket())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<Long> streamed = salesOfFirst.filter(e -> e.data() != null).take(soldByFirst.size())
                .map(e -> e.data().ticket()).collect(Collectors.toCollection(TreeSet::new)).block(WAIT);
        assertEquals(soldByFirst, streamed, "the first server's SSE stream shows exactly its sales");
    }

    @Test
    @Order(2)
    void shouldAnswer503WhenAnotherProcessHoldsEveryIssuingPermit() throws Exception {
        Runnable giveBack = holdEveryIssuer();
        try {
            for (int server = 0; server < 2; server++) {
                assertEquals(503, purchase(server, "/tickets/purchase?waitMs=200").block(WAIT).status());
            }
        } finally {
            giveBack.run();
        }
        assertEquals(409, purchase(0, "/tickets/purchase?waitMs=5000").block(WAIT).status(),
                "with permits free again the answer is: sold out");
    }

    private Mono<Outcome> purchase(int server, String uri) {
        return clients.get(server).post().uri(uri).exchangeToMono(r -> r.statusCode().value() == 200
                ? r.bodyToMono(TicketHandler.Sale.class).map(s -> new Outcome(server, 200, s))
                : r.releaseBody().thenReturn(new Outcome(server, r.statusCode().value(), null)));
    }
}
