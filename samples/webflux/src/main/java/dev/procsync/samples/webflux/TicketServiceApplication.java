package dev.procsync.samples.webflux;

import dev.procsync.reactive.ReactiveProcsync;
import dev.procsync.reactive.ReactiveSemaphore;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * Sample 11: a WebFlux ticket service meant to run as several processes, on one host (shared
 * memory) or on several (Redis), chosen by configuration ({@link ProcsyncBackend}). They share
 * the stock ({@link TicketStock}, guarded by a procsync lock) and a procsync
 * {@link ReactiveSemaphore} that bounds how many tickets are being issued at once across all of them
 * (issuing is the "expensive work"); a request that cannot get a permit in time gets 503.
 *
 * <pre>
 * java -cp ... dev.procsync.samples.webflux.TicketServiceApplication --server.port=8081 --tickets.stock=10
 * java -cp ... dev.procsync.samples.webflux.TicketServiceApplication --server.port=8082
 * curl -X POST localhost:8081/tickets/purchase ; curl localhost:8082/tickets ; curl localhost:8081/tickets/sales
 * # across hosts: add --procsync.backend=redis --procsync.redis.url=redis://cache:6379 to each
 * </pre>
 */
@SpringBootApplication
public class TicketServiceApplication {
    /** Starts one server process. @param args Spring Boot arguments, such as {@code --server.port=0} */
    public static void main(String[] args) {
        SpringApplication.run(TicketServiceApplication.class, args);
    }

    /**
     * Where the processes of this service meet: shared memory on one host, or Redis across hosts.
     *
     * @param kind      {@code procsync.backend}: {@code shm} (default) or {@code redis}
     * @param namespace {@code tickets.namespace}
     * @param redisUrl  {@code procsync.redis.url}
     * @param lease     {@code procsync.redis.lease}
     * @return the backend
     */
    @Bean(destroyMethod = "close")
    ProcsyncBackend procsyncBackend(@Value("${procsync.backend}") String kind,
            @Value("${tickets.namespace}") String namespace, @Value("${procsync.redis.url}") String redisUrl,
            @Value("${procsync.redis.lease}") Duration lease) {
        return ProcsyncBackend.open(kind, namespace, redisUrl, lease);
    }

    /** The backend's reactive face: waits hold no thread. @param backend the backend @return it */
    @Bean
    ReactiveProcsync reactiveProcsync(ProcsyncBackend backend) {
        return backend.rx();
    }

    /**
     * The shared stock, filled by the first process to start.
     *
     * @param rx    the reactive face
     * @param stock tickets at the start
     * @return it
     */
    @Bean(destroyMethod = "close")
    TicketStock ticketStock(ReactiveProcsync rx, @Value("${tickets.stock}") long stock) {
        TicketStock tickets = new TicketStock(rx);
        tickets.fill(stock).block(Duration.ofSeconds(30));
        return tickets;
    }

    /** Bounds concurrent issuing across every process. @param rx the reactive face @param n permits @return it */
    @Bean(destroyMethod = "close")
    ReactiveSemaphore issuers(ReactiveProcsync rx, @Value("${tickets.issuers}") int n) {
        return rx.semaphore("issuers", n);
    }

    /** Tells whoever started this process where it listens. @return the listener */
    @Bean
    ApplicationListener<WebServerInitializedEvent> announcePort() {
        return e -> {
            System.out.println("[pid " + ProcessHandle.current().pid() + " ticket-service] listening on http://127.0.0.1:"
                    + e.getWebServer().getPort());
            System.out.flush();
        };
    }
}
