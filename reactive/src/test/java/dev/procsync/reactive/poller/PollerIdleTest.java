package dev.procsync.reactive.poller;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.internal.engine.Poller;
import dev.procsync.reactive.ReactiveEvent;
import dev.procsync.reactive.testing.Ns;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/**
 * The poller's spin is bounded: with a waiter pending on a word nobody changes, it spins only
 * after a wake-up and then sleeps through sweep after sweep, so an idle process stays idle.
 */
class PollerIdleTest {
    private final Ns ns = new Ns("pollidle");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    @Test
    void shouldSleepNotSpinWhileAWaiterIsPendingOnAQuietWord() {
        Poller poller = Poller.shared();
        try (ReactiveEvent quiet = ns.rx.event("quiet"); ReactiveEvent other = ns.rx.event("other")) {
            Disposable pending = quiet.await().subscribe();
            try {
                // Something the poller must do, so that it is past registration and its spin.
                StepVerifier.create(other.await().doOnSubscribe(s -> other.set().subscribe()))
                        .verifyComplete();
                long spinsBefore = poller.spinRounds();
                long sleepsBefore = poller.sleeps();
                long cpuBefore = pollerCpuNanos();
                LockSupport.parkNanos(Duration.ofSeconds(1).toNanos()); // the window observed, not a handshake
                long spins = poller.spinRounds() - spinsBefore;
                long sleeps = poller.sleeps() - sleepsBefore;
                long cpu = pollerCpuNanos() - cpuBefore;
                System.out.println("idle second with a pending waiter: " + spins + " spin rounds, " + sleeps
                        + " sleeps, poller CPU " + (cpu < 0 ? "n/a" : cpu / 1000 + " us"));
                // Sweeps wake it every 25 ms and earn no spin; a spinning poller makes millions of rounds a second.
                assertTrue(spins < 20_000, "the idle poller spun " + spins + " rounds in a second");
                assertTrue(sleeps > 0, "the idle poller never slept");
            } finally {
                pending.dispose();
            }
        }
    }

    private static long pollerCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported()) {
            return -1;
        }
        for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
            if (Poller.THREAD_NAME.equals(info.getThreadName())) {
                return threads.getThreadCpuTime(info.getThreadId());
            }
        }
        return -1;
    }
}
