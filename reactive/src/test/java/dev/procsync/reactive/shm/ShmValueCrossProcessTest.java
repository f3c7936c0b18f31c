package dev.procsync.reactive.shm;

import dev.procsync.Namespace;
import dev.procsync.data.SharedLong;
import dev.procsync.reactive.ReactiveValue;
import dev.procsync.reactive.testing.Ns;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class ShmValueCrossProcessTest {
    private final Ns ns = new Ns("xrxvalue");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    /** Child (blocking API): sets "v" to 42. */
    public static final class Setter {
        public static void main(String[] args) {
            try (Namespace ns = TempRoot.openFromArgs(args); SharedLong v = ns.sharedLong("v")) {
                v.set(42);
            }
        }
    }

    @Test
    void shouldEmitAChangeMadeByAnotherProcess() throws Exception {
        try (Children children = new Children(); ReactiveValue<Long> v = ns.rx.longValue("v")) {
            StepVerifier.create(v.changes())
                    .expectNext(0L)
                    .then(() -> children.start(Setter.class, ns.root.childArgs("xrxvalue")))
                    .expectNext(42L)
                    .thenCancel()
                    .verify(Children.JOIN);
            children.joinAllSuccessfully();
        }
    }
}
