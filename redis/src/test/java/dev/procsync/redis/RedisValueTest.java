package dev.procsync.redis;

import dev.procsync.reactive.ReactiveValue;
import dev.procsync.reactive.conformance.ReactiveValueContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

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

    @Test
    void shouldShareIntDoubleAndBooleanValues() {
        RedisReactiveProcsync rx = backend.rx();
        try (ReactiveValue<Integer> i = rx.intValue("i"); ReactiveValue<Integer> i2 = rx.intValue("i");
                ReactiveValue<Double> d = rx.doubleValue("d"); ReactiveValue<Boolean> b = rx.booleanValue("b")) {
            StepVerifier.create(i.set(-7).then(i2.get())).expectNext(-7).verifyComplete();
            StepVerifier.create(d.compareAndSet(0.0, 2.5).then(d.get())).expectNext(2.5).verifyComplete();
            StepVerifier.create(b.changes())
                    .expectNext(false)
                    .then(() -> b.set(true).block(WAIT))
                    .expectNext(true)
                    .thenCancel()
                    .verify(WAIT);
        }
    }

    @Test
    void shouldEndChangesWithTheClosedExceptionWhenTheHandleCloses() {
        ReactiveValue<Long> closing = open("value-contract");
        StepVerifier.create(closing.changes())
                .expectNext(0L)
                .then(closing::close)
                .expectError(RedisClosedException.class)
                .verify(WAIT);
    }
}
