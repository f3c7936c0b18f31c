package dev.procsync.redis;

import dev.procsync.reactive.ReactiveEvent;
import dev.procsync.reactive.conformance.ReactiveEventContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisEventTest extends ReactiveEventContract {
    private static Backend backend;

    @BeforeAll
    static void startServer() {
        backend = new Backend();
    }

    @AfterAll
    static void stopServer() {
        backend.close();
    }

    @Override
    protected ReactiveEvent open(String name) {
        return backend.rx().event(name);
    }

    @Override
    protected void tearDown() {
        backend.reset();
    }
}
