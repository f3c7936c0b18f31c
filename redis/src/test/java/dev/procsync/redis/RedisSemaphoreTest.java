package dev.procsync.redis;

import dev.procsync.reactive.ReactiveSemaphore;
import dev.procsync.reactive.conformance.ReactiveSemaphoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisSemaphoreTest extends ReactiveSemaphoreContract {
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
    protected ReactiveSemaphore open(String name, int permits) {
        return backend.rx().semaphore(name, permits);
    }

    @Override
    protected void tearDown() {
        backend.reset();
    }
}
