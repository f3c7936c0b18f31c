package dev.procsync.reactive.shm;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveCondition;
import dev.procsync.reactive.testing.Ns;
import dev.procsync.sync.Condition;
import dev.procsync.sync.Lock;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class ShmConditionCrossProcessTest {
    private final Ns ns = new Ns("xrxcond");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    /** Child (blocking API): signals "c" once a waiter is there, under "c.lock". */
    public static final class Signaller {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Lock lock = ns.lock("c.lock");
                    Condition c = ns.condition("c", lock)) {
                while (true) {
                    lock.acquire();
                    try {
                        if (c.waiterCount() > 0) {
                            c.signal();
                            return;
                        }
                    } finally {
                        lock.release();
                    }
                    Thread.onSpinWait();
                }
            }
        }
    }

    @Test
    void shouldCompleteAReactiveWaitWhenAnotherProcessSignals() throws Exception {
        try (Children children = new Children(); ReactiveCondition c = ns.rx.condition("c", "c.lock")) {
            Permit held = c.acquire().block(Duration.ofSeconds(10));
            ChildProcess child = children.start(Signaller.class, ns.root.childArgs("xrxcond"));
            StepVerifier.create(c.await(held)).expectComplete().verify(Children.JOIN);
            held.close();
            children.joinAllSuccessfully();
            child.close();
        }
    }
}
