package dev.procsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.segment.Segment;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The kill-anywhere campaign: child JVMs run random operations on every primitive of the
 * {@link CampaignScenario scenarios} and are SIGKILLed at random moments while survivors keep
 * working. After every kill, within a bound, the test checks that no survivor is wedged (each
 * one's heartbeat moves) and each scenario's invariants hold (a lock held by the dead is
 * recovered with the owner-died signal, counters account for the dead's committed work, ...).
 *
 * <p>Default: at least {@value #DEFAULT_KILLS} kills. {@code -Dprocsync.soak=true} runs
 * {@value #SOAK_KILLS}; {@code -Dprocsync.campaign.kills=N} and {@code -Dprocsync.campaign.seed=S}
 * override. The figures are printed as {@code [reliability] campaign ...}.
 */
@Tag("campaign") // long: excluded by -Pquick, run by every full mvn verify
class KillAnywhereCampaignTest {
    static final int DEFAULT_KILLS = 200;
    static final int SOAK_KILLS = 3000;
    static final int WORKERS = 3;
    static final Duration BOUND = Duration.ofSeconds(15);

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("campaign");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /** Child: one worker. Args: root, namespace, slot, seed. Prints GO, then operates until killed. */
    public static final class Worker {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            int slot = Integer.parseInt(args[2]);
            Random random = new Random(Long.parseLong(args[3]));
            List<CampaignScenario> scenarios = CampaignScenario.all(ns);
            List<CampaignScenario> weighted = new ArrayList<>();
            for (CampaignScenario s : scenarios) {
                for (int i = 0; i < s.weight(); i++) {
                    weighted.add(s);
                }
            }
            Segment board = CampaignScenario.board(ns);
            for (CampaignScenario s : scenarios) {
                s.workerStart(slot);
            }
            System.out.println("GO");
            while (true) {
                CampaignScenario s = weighted.get(random.nextInt(weighted.size()));
                s.step(slot, random);
                board.getAndAddLong(CampaignScenario.heartbeatOffset(slot), 1);
                if (random.nextInt(16) == 0) {
                    // Pacing, not synchronization: leaves CPU for the JVMs starting beside us on 2 cores.
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000 + random.nextInt(400_000));
                }
            }
        }
    }

    /** A running worker and its board slot. */
    private static final class Live {
        final ChildProcess process;
        final int slot;

        Live(ChildProcess process, int slot) {
            this.process = process;
            this.slot = slot;
        }
    }

    @Test
    void shouldSurviveHundredsOfRandomKillsWithEveryInvariantHeld() throws Exception {
        boolean soak = Boolean.getBoolean("procsync.soak");
        int kills = Integer.getInteger("procsync.campaign.kills", soak ? SOAK_KILLS : DEFAULT_KILLS);
        long seed = Long.getLong("procsync.campaign.seed", System.nanoTime());
        Random random = new Random(seed);
        List<CampaignScenario> scenarios = CampaignScenario.all(ns);
        Segment board = CampaignScenario.board(ns);
        long started = System.nanoTime();
        int nextSlot = 0;
        int killed = 0;
        int killedWhileOperating = 0;
        List<String> violations = new ArrayList<>();
        try (Children children = new Children()) {
            List<Live> live = new ArrayList<>();
            while (killed < kills) {
                while (live.size() < WORKERS) {
                    int slot = nextSlot++ % CampaignScenario.SLOTS;
                    for (CampaignScenario s : scenarios) {
                        s.beforeStart(slot);
                    }
                    live.add(new Live(children.start(Worker.class, root.childArgs("campaign", Integer.toString(slot),
                            Long.toString(random.nextLong()))), slot));
                }
                // Let the oldest one run a random while after it is operating, then kill it anywhere.
                Live victim = live.remove(0);
                victim.process.awaitLine("GO"::equals, Children.JOIN);
                long beat = board.getLongAcquire(CampaignScenario.heartbeatOffset(victim.slot));
                awaitNanos(random.nextInt(150_000_000));
                if (board.getLongAcquire(CampaignScenario.heartbeatOffset(victim.slot)) != beat) {
                    killedWhileOperating++;
                }
                assertTrue(victim.process.isAlive(), () -> "worker died by itself:\n" + victim.process.output());
                victim.process.kill();
                assertTrue(victim.process.join(BOUND), "a SIGKILLed worker did not exit");
                killed++;
                int deadPid = (int) victim.process.pid();
                for (CampaignScenario s : scenarios) {
                    s.checkAfterKill(deadPid, victim.slot, BOUND);
                }
                assertSurvivorsProgress(board, live);
                victim.process.output().lines().filter(l -> l.startsWith("VIOLATION")).forEach(violations::add);
                children.all().remove(victim.process);
            }
            for (Live l : live) {
                l.process.awaitLine("GO"::equals, Children.JOIN); // attached everywhere, as every victim was
                l.process.kill();
                assertTrue(l.process.join(BOUND), "a SIGKILLed worker did not exit");
                killed++;
                for (CampaignScenario s : scenarios) {
                    s.checkAfterKill((int) l.process.pid(), l.slot, BOUND);
                }
                l.process.output().lines().filter(x -> x.startsWith("VIOLATION")).forEach(violations::add);
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        for (CampaignScenario s : scenarios) {
            s.finalCheck(killed);
            figures.put(s.name(), s.figures());
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        System.out.println("[reliability] campaign seed " + seed + ": " + killed + " SIGKILLs (" + killedWhileOperating
                + " while operating), " + nextSlot + " worker JVMs, " + seconds + " s; " + figures);
        assertTrue(killed >= kills);
        assertEquals(0, board.getLongAcquire(CampaignScenario.ERRORS_OFFSET), () -> "workers recorded invariant "
                + "violations: " + violations);
    }

    private static void assertSurvivorsProgress(Segment board, List<Live> live) throws InterruptedException {
        for (Live l : live) {
            if (!l.process.output().contains("GO")) {
                continue; // still starting: not yet a survivor
            }
            long before = board.getLongAcquire(CampaignScenario.heartbeatOffset(l.slot));
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (board.getLongAcquire(CampaignScenario.heartbeatOffset(l.slot)) == before) {
                assertTrue(l.process.isAlive(), () -> "survivor died:\n" + l.process.output());
                assertTrue(System.nanoTime() < deadline, () -> "survivor " + l.process + " is wedged:\n"
                        + l.process.output());
                awaitNanos(1_000_000);
            }
        }
    }

    /** Waits without a sleep-based handshake: a bounded park used only to space the kills. */
    private static void awaitNanos(long nanos) throws InterruptedException {
        new CountDownLatch(1).await(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
