package dev.procsync.reactive.shm;

import dev.procsync.reactive.ReactiveEvent;
import dev.procsync.reactive.conformance.ReactiveEventContract;
import dev.procsync.reactive.testing.Ns;

class ShmEventTest extends ReactiveEventContract {
    private final Ns ns = new Ns("rxevent");

    @Override
    protected ReactiveEvent open(String name) {
        return ns.rx.event(name);
    }

    @Override
    protected void tearDown() {
        ns.close();
    }
}
