package dev.procsync.reactive.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The {@link Waiter} state machine under real races, transition against transition: a grant (the
 * poller's successful attempt) against a cancel, a timeout or a failure, and a cancel against a
 * timeout, each from its own thread, with deliveries on a third (the Scheduler). Every round checks
 * what the subscriber saw and what happened to the resource: exactly one outcome is signalled, and
 * a resource taken by a grant is either delivered or given back, exactly once.
 *
 * <p>This stands in for jcstress tests of the same transitions (see the module notes in the
 * report): it explores fewer interleavings per second, but each outcome is checked in every round.
 * {@link #rounds()} per pair in the default build; {@link WaiterRaceLongStressTest} runs a million.
 */
class WaiterRaceStressTest {
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> new Thread(r, "delivery"));
    private final Scheduler scheduler = Schedulers.fromExecutorService(delivery);
    private final Racer racer = new Racer();

    /** Rounds per pair of transitions. */
    protected int rounds() {
        return 20_000;
    }

    @AfterEach
    void stop() throws InterruptedException {
        racer.stop();
        scheduler.dispose();
        delivery.shutdownNow();
        assertTrue(delivery.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** A waiter over a one-unit resource that counts every outcome. */
    static final class Probe extends Waiter {
        final AtomicInteger taken = new AtomicInteger();
        final AtomicInteger givenBack = new AtomicInteger();
        final AtomicInteger abandoned = new AtomicInteger();
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger timedOut = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();

        Probe(Scheduler scheduler) {
            super(scheduler);
        }

        /** What the poller does for a waiter whose attempt succeeds. */
        void pollerGrants() {
            if (isWaiting() && attempt(false)) {
                granted();
            }
        }

        @Override
        protected boolean attempt(boolean sweep) {
            taken.incrementAndGet();
            return true;
        }

        @Override
        protected void giveBack() {
            givenBack.incrementAndGet();
        }

        @Override
        protected long arm() {
            return WaitOperation.POLL;
        }

        @Override
        protected long address() {
            return 0;
        }

        @Override
        protected void abandon() {
            abandoned.incrementAndGet();
        }

        @Override
        protected Object key() {
            return this;
        }

        @Override
        protected boolean ordered() {
            return true;
        }

        @Override
        protected void deliver() {
            delivered.incrementAndGet();
        }

        @Override
        protected void deliverTimeout() {
            timedOut.incrementAndGet();
        }

        @Override
        protected void deliverError(Throwable error) {
            failed.incrementAndGet();
        }

        int signals() {
            return delivered.get() + timedOut.get() + failed.get();
        }

        String describe() {
            return "taken " + taken + ", given back " + givenBack + ", abandoned " + abandoned + ", delivered "
                    + delivered + ", timed out " + timedOut + ", failed " + failed;
        }
    }

    /** A second thread that runs one action per round, started with the test thread's own. */
    private static final class Racer {
        private volatile Runnable task;
        private volatile boolean done = true;
        private volatile boolean stopped;
        private final Thread thread = new Thread(this::loop, "racer");

        Racer() {
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            int spins = 0;
            while (!stopped) {
                Runnable t = task;
                if (t == null) {
                    if (++spins % 64 == 0) {
                        Thread.yield(); // a loaded machine: let the test thread run
                    } else {
                        Thread.onSpinWait();
                    }
                    continue;
                }
                task = null;
                t.run();
                done = true;
            }
        }

        /** Runs {@code mine} here and {@code theirs} on the racer, as close together as they get. */
        void race(Runnable mine, Runnable theirs) {
            done = false;
            task = theirs;
            mine.run();
            int spins = 0;
            while (!done) {
                if (++spins % 64 == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join(10_000);
        }
    }

    private void rounds(Consumer<Probe> mine, Consumer<Probe> theirs, Consumer<Probe> check) throws Exception {
        int[] seen = new int[3];
        for (int i = 0; i < rounds(); i++) {
            Probe p = new Probe(scheduler);
            racer.race(() -> mine.accept(p), () -> theirs.accept(p));
            delivery.submit(() -> { }).get(10, TimeUnit.SECONDS); // every delivery scheduled so far has run
            assertTrue(p.isSettled(), "round " + i + " not settled: " + p.describe());
            check.accept(p);
            seen[p.delivered.get() > 0 ? 0 : p.givenBack.get() > 0 ? 1 : 2]++;
        }
        System.out.println(getClass().getSimpleName() + ": delivered " + seen[0] + ", given back " + seen[1]
                + ", neither taken nor delivered " + seen[2]);
    }

    @Test
    void shouldDeliverOrGiveBackExactlyOnceWhenAGrantRacesACancel() throws Exception {
        rounds(Probe::pollerGrants, Probe::cancelWait, p -> {
            assertEquals(p.taken.get(), p.delivered.get() + p.givenBack.get(), p.describe());
            assertTrue(p.timedOut.get() + p.failed.get() == 0 && p.abandoned.get() <= 1, p.describe());
        });
    }

    @Test
    void shouldSignalOneOutcomeWhenAGrantRacesATimeout() throws Exception {
        rounds(Probe::pollerGrants, Probe::timeOut, p -> {
            assertEquals(1, p.signals(), p.describe());
            assertEquals(p.taken.get(), p.delivered.get() + p.givenBack.get(), p.describe());
            assertEquals(p.timedOut.get(), p.abandoned.get(), p.describe());
        });
    }

    @Test
    void shouldSignalOneOutcomeWhenAGrantRacesAFailure() throws Exception {
        RuntimeException closed = new IllegalStateException("closed");
        rounds(Probe::pollerGrants, p -> p.fail(closed), p -> {
            assertEquals(1, p.signals(), p.describe());
            assertEquals(p.taken.get(), p.delivered.get() + p.givenBack.get(), p.describe());
            assertEquals(p.failed.get(), p.abandoned.get(), p.describe());
        });
    }

    @Test
    void shouldAbandonOnceWhenACancelRacesATimeout() throws Exception {
        rounds(Probe::cancelWait, Probe::timeOut, p -> {
            assertEquals(1, p.abandoned.get(), p.describe());
            assertTrue(p.timedOut.get() <= 1 && p.delivered.get() + p.failed.get() + p.taken.get() == 0, p.describe());
        });
    }
}
