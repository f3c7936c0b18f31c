package dev.procsync.reactive.shm;

import dev.procsync.reactive.ReactiveValue;
import dev.procsync.reactive.conformance.ReactiveValueContract;
import dev.procsync.reactive.testing.Ns;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class ShmValueTest extends ReactiveValueContract {
    private final Ns ns = new Ns("rxvalue");

    @Override
    protected ReactiveValue<Long> open(String name) {
        return ns.rx.longValue(name);
    }

    @Override
    protected void tearDown() {
        ns.close();
    }

    @Test
    void shouldShareIntDoubleAndBooleanValues() {
        try (ReactiveValue<Integer> i = ns.rx.intValue("i"); ReactiveValue<Integer> i2 = ns.rx.intValue("i");
                ReactiveValue<Double> d = ns.rx.doubleValue("d"); ReactiveValue<Boolean> b = ns.rx.booleanValue("b")) {
            StepVerifier.create(i.set(7).then(i2.get())).expectNext(7).verifyComplete();
            StepVerifier.create(d.compareAndSet(0.0, 2.5).then(d.get())).expectNext(2.5).verifyComplete();
            StepVerifier.create(b.changes())
                    .expectNext(false)
                    .then(() -> b.set(true).block(Duration.ofSeconds(5)))
                    .expectNext(true)
                    .thenCancel()
                    .verify(Duration.ofSeconds(10));
        }
    }
}
