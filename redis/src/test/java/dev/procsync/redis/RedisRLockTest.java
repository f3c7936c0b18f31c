package dev.procsync.redis;

import dev.procsync.reactive.ReactiveRLock;
import dev.procsync.reactive.conformance.ReactiveRLockContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisRLockTest extends ReactiveRLockContract {
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
    protected ReactiveRLock open(String name) {
        return backend.rx().rlock(name);
    }

    @Override
    protected void tearDown() {
        backend.reset();
    }
}
