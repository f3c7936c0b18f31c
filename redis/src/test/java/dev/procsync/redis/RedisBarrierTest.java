package dev.procsync.redis;

import dev.procsync.reactive.ReactiveBarrier;
import dev.procsync.reactive.conformance.ReactiveBarrierContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisBarrierTest extends ReactiveBarrierContract {
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
    protected ReactiveBarrier open(String name, int parties) {
        return backend.rx().barrier(name, parties);
    }

    @Override
    protected void tearDown() {
        backend.reset();
    }
}
