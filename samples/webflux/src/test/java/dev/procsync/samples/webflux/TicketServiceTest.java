package dev.procsync.samples.webflux;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.sync.Semaphore;
import dev.procsync.testing.TempRoot;

/** The ticket service on shared memory: two processes of one host in a namespace under a temporary root. */
class TicketServiceTest extends TicketServiceChecks {
    private final TempRoot root = new TempRoot();

    @Override
    protected ChildProcess.Builder withBackend(ChildProcess.Builder server) {
        return server.systemProperty("procsync.root", root.path().toString());
    }

    @Override
    protected Runnable holdEveryIssuer() throws Exception {
        Namespace ns = root.open("tickets");
        Semaphore issuers = ns.semaphore("issuers", 2);
        if (!issuers.tryAcquire(WAIT) || !issuers.tryAcquire(WAIT)) {
            throw new AssertionError("the test could not take both permits");
        }
        return () -> {
            issuers.release(2);
            issuers.close();
            ns.close();
        };
    }

    @Override
    protected void closeBackend() {
        root.close();
    }
}
