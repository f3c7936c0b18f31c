package dev.procsync.redis;

import dev.procsync.codec.Codecs;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveQueue;
import dev.procsync.reactive.conformance.ReactiveQueueContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisQueueTest extends ReactiveQueueContract {
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
    protected ReactiveQueue<String> open(String name, int capacity) {
        return backend.rx().queue(name, Codecs.utf8(), QueueBound.messages(capacity));
    }

    @Override
    protected void tearDown() {
        backend.reset();
    }
}
