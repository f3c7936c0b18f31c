package dev.procsync.redis;

import dev.procsync.codec.Codecs;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveJoinableQueue;
import dev.procsync.reactive.conformance.ReactiveJoinableQueueContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisJoinableQueueTest extends ReactiveJoinableQueueContract {
    private static Backend backend;

    @BeforeAll
    static void startServer() {
        // Nothing dies here: a long lease keeps a live consumer's items its own on a loaded machine.
        backend = new Backend(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopServer() {
        backend.close();
    }

    @Override
    protected ReactiveJoinableQueue<String> open(String name, int capacity) {
        return backend.rx().joinableQueue(name, Codecs.utf8(), QueueBound.messages(capacity));
    }

    @Override
    protected void tearDown() {
        backend.reset();
    }
}
