package dev.procsync.redis;

import dev.procsync.reactive.ReactiveCondition;
import dev.procsync.reactive.conformance.ReactiveConditionContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The condition contract on Redis, over its own reentrant lock owned by the handle ({@code condition(name)}). */
class RedisRLockConditionTest extends ReactiveConditionContract {
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
    protected ReactiveCondition open(String name) {
        return backend.rx().condition(name);
    }

    @Override
    protected void tearDown() {
        backend.reset();
    }
}
