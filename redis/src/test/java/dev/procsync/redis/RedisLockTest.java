package dev.procsync.redis;

import dev.procsync.reactive.ReactiveLock;
import dev.procsync.reactive.conformance.ReactiveLockContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisLockTest extends ReactiveLockContract {
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
    protected ReactiveLock open(String name) {
        return backend.rx().lock(name);
    }

    @Override
    protected Class<? extends Throwable> closedException() {
        return RedisClosedException.class;
    }

    @Override
    protected void tearDown() {
        backend.reset();
    }
}
