package dev.procsync.reactive.shm;

import dev.procsync.reactive.ReactiveRLock;
import dev.procsync.reactive.conformance.ReactiveRLockContract;
import dev.procsync.reactive.testing.Ns;

class ShmRLockTest extends ReactiveRLockContract {
    private final Ns ns = new Ns("rxrlock");

    @Override
    protected ReactiveRLock open(String name) {
        return ns.rx.rlock(name);
    }

    @Override
    protected void tearDown() {
        ns.close();
    }
}
