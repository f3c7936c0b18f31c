package dev.procsync.samples.webflux;

import dev.procsync.Namespace;
import dev.procsync.Procsync;
import dev.procsync.reactive.ReactiveProcsync;
import dev.procsync.reactive.ReactiveSemaphore;
import dev.procsync.reactive.shm.ShmReactiveProcsync;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * Sample 11: a WebFlux ticket service meant to run as several processes on one host. They share
 * the stock ({@link TicketStock}, guarded by a procsync lock) and a procsync
 * {@link ReactiveSemaphore} that bounds how many tickets are being issued at once across all of them
 * (issuing is the "expensive work"); a request that cannot get a permit in time gets 503.
 *
 * <pre>
 * java -cp ... dev.procsync.samples.webflux.TicketServiceApplication --server.port=8081 --tickets.stock=10
 * java -cp ... dev.procsync.samples.webflux.TicketServiceApplication --server.port=8082
 * curl -X POST localhost:8081/tickets/purchase ; curl localhost:8082/tickets ; curl localhost:8081/tickets/sales
 * </pre>
 */
@SpringBootApplication
public class TicketServiceApplication {
    /** Starts one server process. @param args Spring Boot arguments, such as {@code --server.port=0} */
    public static void main(String[] args) {
        SpringApplication.run(TicketServiceApplication.class, args);
    }

    /** The namespace in which the processes of this service meet. @param name its name @return it */
    @Bean(destroyMethod = "close")
    Namespace ticketNamespace(@Value("${tickets.namespace}") String name) {
        return Procsync.open(name);
    }

    /** The namespace's reactive face: waits hold no thread. @param ns the namespace @return it */
    @Bean
    ReactiveProcsync reactiveProcsync(Namespace ns) {
        return ShmReactiveProcsync.of(ns);
    }

    /**
     * The shared stock.
     *
     * @param ns    the namespace
     * @param rx    its reactive face
     * @param stock tickets at the start
     * @return it
     */
    @Bean(destroyMethod = "close")
    TicketStock ticketStock(Namespace ns, ReactiveProcsync rx, @Value("${tickets.stock}") long stock) {
        return new TicketStock(ns, rx, stock);
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
