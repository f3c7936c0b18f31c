package dev.procsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.layout.SemaphoreLayout;
import dev.procsync.process.ChildProcess;
import dev.procsync.sync.BoundedSemaphore;
import dev.procsync.sync.CountingSemaphore;
import dev.procsync.sync.Event;
import dev.procsync.sync.Semaphore;
import dev.procsync.sync.SemaphoreOptions;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The undo-on-death campaign: rounds of child JVMs, two threads each, take and give permits of an
 * undo-mode Semaphore and BoundedSemaphore as fast as they can (blocking, timed and non-blocking
 * acquires of one or two permits, releases whole or one by one) and are SIGKILLed one after the
 * other at random moments, so kills land anywhere, inside the ledger's updates too. Survivors'
 * waiters give the dead holders' permits back as they go; after each round the parent gives back
 * what is left and checks that every permit exists exactly once: none lost, none duplicated.
 *
 * <p>Default: at least {@value #DEFAULT_KILLS} kills, {@value #CHILDREN} children per round.
 * {@code -Dprocsync.undo.kills=N} and {@code -Dprocsync.undo.seed=S} override. The figures are
 * printed as {@code [reliability] undo campaign ...}.
 */
@Tag("campaign") // long: excluded by -Pquick, run by every full mvn verify
class UndoSemaphoreKillCampaignTest {
    static final int DEFAULT_KILLS = 200;
    static final int CHILDREN = 8;
    static final int PERMITS = 5;
    static final int BOUND = 3;
    static final Duration WAIT = Duration.ofSeconds(30);

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("undocampaign");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /**
     * Child: args root, namespace, seed, round. Prints READY, waits for the round's start event (so
     * that churners do not burn the CPU that their siblings need to start), then churns permits on
     * two threads until killed.
     */
    public static final class Churner {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            long seed = Long.parseLong(args[2]);
            CountingSemaphore[] sems = {ns.semaphore("u", PERMITS, SemaphoreOptions.undoOnDeath()),
                ns.boundedSemaphore("b", BOUND, SemaphoreOptions.undoOnDeath())};
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Random random = new Random(seed + t);
                threads.add(new Thread(() -> churn(sems, random), "churn-" + t));
            }
            System.out.println("READY");
            try (Event start = ns.event("start" + args[3])) {
                start.await();
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
        }

        private static void churn(CountingSemaphore[] sems, Random random) {
            try {
                while (true) {
                    CountingSemaphore sem = sems[random.nextInt(2)];
                    int n = 1 + random.nextInt(2);
                    boolean got;
                    switch (random.nextInt(3)) {
                        case 0 -> {
                            sem.acquire(n);
                            got = true;
                        }
                        case 1 -> got = sem.tryAcquire(n, WAIT);
                        default -> got = sem.tryAcquire(n);
                    }
                    if (!got) {
                        continue;
                    }
                    if (sem.heldByThisProcess() < n) {
                        System.out.println("VIOLATION: holds " + sem.heldByThisProcess() + " after taking " + n);
                    }
                    for (int i = random.nextInt(200); i > 0; i--) {
                        Thread.onSpinWait();
                    }
                    if (n > 1 && random.nextBoolean()) {
                        sem.release();
                        sem.release();
                    } else {
                        sem.release(n);
                    }
                }
            } catch (Throwable e) {
                System.out.println("VIOLATION: " + e);
                e.printStackTrace(System.out);
                System.exit(3);
            }
        }
    }

    @Test
    void shouldConservePermitsExactlyThroughHundredsOfKilledHolders() throws Exception {
        int kills = Integer.getInteger("procsync.undo.kills", DEFAULT_KILLS);
        long seed = Long.getLong("procsync.undo.seed", System.nanoTime());
        Random random = new Random(seed);
        long started = System.nanoTime();
        int killed = 0;
        int rounds = 0;
        long returnedByParent = 0;
        try (Semaphore sem = ns.semaphore("u", PERMITS, SemaphoreOptions.undoOnDeath());
                BoundedSemaphore bounded = ns.boundedSemaphore("b", BOUND, SemaphoreOptions.undoOnDeath())) {
            while (killed < kills) {
                rounds++;
                try (Children children = new Children(); Event start = ns.event("start" + rounds)) {
                    List<ChildProcess> round = new ArrayList<>();
                    for (int i = 0; i < CHILDREN; i++) {
                        round.add(children.start(Churner.class, root.childArgs("undocampaign",
                                Long.toString(random.nextLong()), Integer.toString(rounds))));
                    }
                    for (ChildProcess c : round) {
                        c.awaitLine("READY"::equals, Children.JOIN);
                    }
                    start.set();
                    Collections.shuffle(round, random);
                    for (ChildProcess c : round) {
                        pause(random.nextInt(40_000_000));
                        assertTrue(c.isAlive(), () -> "churner died by itself:\n" + c.output());
                        c.kill();
                    }
                    for (ChildProcess c : round) {
                        assertTrue(c.join(WAIT), "a SIGKILLed churner did not exit");
                        killed++;
                        assertTrue(!c.output().contains("VIOLATION"), () -> c.output());
                    }
                }
                returnedByParent += sem.recoverDeadHolders() + bounded.recoverDeadHolders();
                String at = "round " + rounds + " (seed " + seed + ")";
                assertEquals(PERMITS, sem.availablePermits(), at + ": semaphore permits conserved exactly");
                assertEquals(BOUND, bounded.availablePermits(), at + ": bounded permits conserved exactly");
                assertEquals(0, sem.segment().getInt(SemaphoreLayout.JOURNAL_OFFSET), at);
                assertEquals(0, bounded.segment().getInt(SemaphoreLayout.JOURNAL_OFFSET), at);
                // Every permit can be taken and given back: none is duplicated, none missing.
                assertTrue(sem.tryAcquire(PERMITS, WAIT), at);
                assertTrue(bounded.tryAcquire(BOUND, WAIT), at);
                assertEquals(0, sem.availablePermits() + bounded.availablePermits(), at);
                sem.release(PERMITS);
                bounded.release(BOUND);
            }
            long recovered = sem.recoveredPermits() + bounded.recoveredPermits();
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            System.out.println("[reliability] undo campaign seed " + seed + ": " + killed + " SIGKILLs in " + rounds
                    + " rounds, " + seconds + " s; " + recovered + " permits given back, " + (recovered
                    - returnedByParent) + " of them by surviving waiters, " + returnedByParent + " by the parent");
            assertTrue(killed >= kills);
            assertTrue(recovered > returnedByParent, "surviving waiters never gave a dead holder's permits back");
        }
    }

    /** Spaces the kills: a bounded park, not a handshake. */
    private static void pause(long nanos) throws InterruptedException {
        new CountDownLatch(1).await(nanos, TimeUnit.NANOSECONDS);
    }
}
