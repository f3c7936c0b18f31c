package dev.procsync.vthread;

import static dev.procsync.vthread.VirtualThreadSupport.assumeVirtualThreads;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.sync.Event;
import dev.procsync.sync.Semaphore;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ten thousand virtual threads awaiting a cross-process {@link Event} leave other virtual threads running. */
class VirtualThreadEventTest {
    private static final Duration BOUND = Duration.ofSeconds(120);

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("vevent");

    @BeforeEach
    void needsVirtualThreads() {
        assumeVirtualThreads();
    }

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /** Child: takes a permit of "go" (the parent's word), then sets event "e". */
    public static final class Setter {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Event event = ns.event("e");
                    Semaphore go = ns.semaphore("go", 0)) {
                if (!go.tryAcquire(Duration.ofSeconds(120))) {
                    throw new AssertionError("the parent never said go");
                }
                event.set();
            }
        }
    }

    @Test
    void shouldKeepABystanderTickingWhileTenThousandVirtualThreadsAwaitAnEvent() throws Throwable {
        int threads = 10_000;
        try (Children children = new Children(); Event event = ns.event("e"); Semaphore go = ns.semaphore("go", 0)) {
            children.start(Setter.class, root.childArgs("vevent"));
            VirtualThreadSupport.Group waiters = new VirtualThreadSupport.Group(threads);
            for (int i = 0; i < threads; i++) {
                waiters.start(event::await);
            }
            waiters.awaitAllParked(BOUND);

            VirtualThreadSupport.Group bystander = new VirtualThreadSupport.Group(1);
            bystander.start(() -> {
                for (int tick = 0; tick < 50; tick++) {
                    Thread.sleep(1);
                }
            });
            bystander.join(BOUND); // with pinned carriers it never gets one
            assertFalse(event.isSet(), "the bystander must have ticked while every waiter still waited");

            go.release();
            waiters.join(BOUND);
            children.joinAllSuccessfully();
            assertTrue(event.isSet());
        }
    }
}
