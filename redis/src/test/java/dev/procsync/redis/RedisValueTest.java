package dev.procsync.redis;

import dev.procsync.reactive.ReactiveValue;
import dev.procsync.reactive.conformance.ReactiveValueContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisValueTest extends ReactiveValueContract {
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
    protected ReactiveValue<Long> open(String name) {
        return backend.rx().longValue(name);
    }

    @Override
    protected void tearDown() {
        backend.reset();
    }
}
