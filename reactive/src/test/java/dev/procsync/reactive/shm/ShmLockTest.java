package dev.procsync.reactive.shm;

import dev.procsync.ClosedException;
import dev.procsync.reactive.ReactiveLock;
import dev.procsync.reactive.conformance.ReactiveLockContract;
import dev.procsync.reactive.testing.Ns;

class ShmLockTest extends ReactiveLockContract {
    private final Ns ns = new Ns("rxlock");

    @Override
    protected ReactiveLock open(String name) {
        return ns.rx.lock(name);
    }

    @Override
    protected Class<? extends Throwable> closedException() {
        return ClosedException.class;
    }

    @Override
    protected void tearDown() {
        ns.close();
    }
}
