package dev.procsync.reactive.shm;

import dev.procsync.reactive.ReactiveBarrier;
import dev.procsync.reactive.conformance.ReactiveBarrierContract;
import dev.procsync.reactive.testing.Ns;

class ShmBarrierTest extends ReactiveBarrierContract {
    private final Ns ns = new Ns("rxbarrier");

    @Override
    protected ReactiveBarrier open(String name, int parties) {
        return ns.rx.barrier(name, parties);
    }

    @Override
    protected void tearDown() {
        ns.close();
    }
}
