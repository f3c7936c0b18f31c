package dev.procsync.pythonit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.pythonit.Python.Backend;
import dev.procsync.pythonit.Python.Peer;
import dev.procsync.reactive.ReactiveProcsync;
import dev.procsync.reactive.shm.ShmReactiveProcsync;
import dev.procsync.sync.Event;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** An Event raised in one language wakes waiters of the other: JVM blocking and reactive, Python. */
class EventCrossLanguageTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("xevent");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    @Test
    void shouldWakeJvmBlockingAndReactiveWaitersWhenPythonSets() throws Exception {
        for (Backend backend : Backend.values()) {
            Python.assumeBackend(backend);
            try (Event event = ns.event("e")) {
                event.clear();
                ReactiveProcsync rx = ShmReactiveProcsync.of(ns);
                CompletableFuture<Void> reactive = rx.event("e").await(Duration.ofSeconds(60)).then(Mono.<Void>empty())
                        .toFuture();
                CompletableFuture<Boolean> blocking = CompletableFuture.supplyAsync(() -> {
                    try {
                        return event.await(Duration.ofSeconds(60));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertTrue(!reactive.isDone() && !blocking.isDone(), "nobody has set the event yet");
                try (Peer setter = Python.peer(backend, root.path(), "xevent", "event-set")) {
                    setter.awaitLine("SET", Python.JOIN);
                    setter.joinSuccessfully();
                }
                assertTrue(blocking.get(60, TimeUnit.SECONDS), backend + ": blocking waiter saw the flag");
                reactive.get(60, TimeUnit.SECONDS);
                assertTrue(event.isSet());
            }
        }
    }

    @Test
    void shouldWakeAPythonWaiterWhenAJvmSets() throws Exception {
        for (Backend backend : Backend.values()) {
            Python.assumeBackend(backend);
            try (Event event = ns.event("e"); Peer waiter = Python.peer(backend, root.path(), "xevent", "event-wait",
                    "60")) {
                event.clear();
                waiter.awaitLine("WAITING", Python.JOIN);
                event.set();
                assertEquals("WOKE True", waiter.awaitLine("WOKE", Python.JOIN), backend.toString());
                waiter.joinSuccessfully();
            }
        }
    }

    @Test
    void shouldTimeOutAPythonWaiterWhenNobodySets() throws Exception {
        try (Event event = ns.event("e"); Peer waiter = Python.peer(Backend.EXTENSION, root.path(), "xevent",
                "event-wait", "0.2")) {
            event.clear();
            assertEquals("WOKE False", waiter.awaitLine("WOKE", Python.JOIN));
            waiter.joinSuccessfully();
        }
    }
}
