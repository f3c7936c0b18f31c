package dev.procsync.samples.webflux;

import dev.procsync.Namespace;
import dev.procsync.Procsync;
import dev.procsync.process.ChildProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/**
 * Runs the ticket service as two server processes on 127.0.0.1 sharing one stock, fires
 * concurrent purchases at both, prints who sold what, and stops them. Given a Redis URL, the two
 * processes meet on that server instead of in shared memory (as two hosts would), with the same code.
 *
 * <pre>
 * samples/run.sh webflux [stock] [buyers]                              # shared memory
 * samples/run.sh webflux [stock] [buyers] redis://127.0.0.1:6379       # Redis
 * </pre>
 */
public final class TicketServiceDemo {
    private static final Pattern PORT = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    private TicketServiceDemo() {
    }

    /** Runs the demo. @param args stock and buyers @throws Exception if a server fails */
    public static void main(String[] args) throws Exception {
        int stock = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int buyers = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        String redisUrl = args.length > 2 ? args[2] : null;
        String[] backend = redisUrl == null ? new String[0]
                : new String[] {"--procsync.backend=redis", "--procsync.redis.url=" + redisUrl};
        String namespace = "tickets-" + UUID.randomUUID().toString().substring(0, 8);
        List<ChildProcess> servers = new ArrayList<>();
        try {
            List<WebClient> clients = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                servers.add(ChildProcess.builder(TicketServiceApplication.class).captureOutput()
                        .jvmArgs("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto")
                        .args(backend)
                        .args("--server.port=0", "--tickets.namespace=" + namespace, "--tickets.stock=" + stock)
                        .start());
            }
            for (ChildProcess server : servers) {
                String line = server.awaitLine(l -> PORT.matcher(l).find(), Duration.ofSeconds(60));
                System.out.println(line);
                Matcher m = PORT.matcher(line);
                m.find();
                clients.add(WebClient.create("http://127.0.0.1:" + m.group(1)));
            }
            System.out.println("two server processes share " + stock + " tickets through "
                    + (redisUrl == null ? "shared memory" : redisUrl) + "; " + buyers + " buyers rush in");
            Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
            Flux.range(0, buyers).flatMap(i -> clients.get(i % 2).post().uri("/tickets/purchase")
                    .exchangeToMono(r -> r.bodyToMono(String.class).defaultIfEmpty("").doOnNext(body -> {
                        byStatus.computeIfAbsent(r.statusCode().value(), k -> new AtomicInteger()).incrementAndGet();
                        System.out.println("buyer " + i + " via server " + (i % 2 + 1) + ": " + r.statusCode().value()
                                + " " + body);
                    })), buyers).blockLast(Duration.ofSeconds(60));
            System.out.println("answers by status: " + byStatus);
            System.out.println("left: " + clients.get(0).get().uri("/tickets").retrieve().bodyToMono(String.class)
                    .block(Duration.ofSeconds(10)));
        } finally {
            servers.forEach(ChildProcess::close);
            if (redisUrl == null) { // on Redis the namespace's few keys stay under its unique prefix
                try (Namespace ns = Procsync.open(namespace)) {
                    ns.destroy();
                }
            }
        }
    }
}
