package dev.procsync.reactive.shm;

import dev.procsync.process.ChildProcess;
import dev.procsync.reactive.testing.Ns;
import dev.procsync.testing.Children;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class ChildExitTest {
    private final Ns ns = new Ns("rxexit");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    /** Child: exits with code 3 at once. */
    public static final class ExitThree {
        public static void main(String[] args) {
            System.exit(3);
        }
    }

    @Test
    void shouldCompleteWithTheExitCodeWithoutBlockingAThread() {
        try (Children children = new Children()) {
            ChildProcess child = children.start(ExitThree.class);
            Mono<Integer> exit = ShmReactiveProcsync.exitCode(child);
            StepVerifier.create(exit).expectNext(3).verifyComplete();
            StepVerifier.create(exit).expectNext(3).as("already exited: at once").verifyComplete();
        }
    }
}
