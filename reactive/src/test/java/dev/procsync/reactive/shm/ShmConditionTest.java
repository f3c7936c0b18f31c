package dev.procsync.reactive.shm;

import dev.procsync.reactive.ReactiveCondition;
import dev.procsync.reactive.conformance.ReactiveConditionContract;
import dev.procsync.reactive.testing.Ns;

class ShmConditionTest extends ReactiveConditionContract {
    private final Ns ns = new Ns("rxcond");

    @Override
    protected ReactiveCondition open(String name) {
        return ns.rx.condition(name, name + ".lock");
    }

    @Override
    protected void tearDown() {
        ns.close();
    }
}
