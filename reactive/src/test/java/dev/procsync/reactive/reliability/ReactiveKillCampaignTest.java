package dev.procsync.reactive.reliability;

import dev.procsync.layout.HeaderLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.reactive.Permit;
import dev.procsync.reactive.ReactiveLock;
import dev.procsync.reactive.shm.ShmReactiveProcsync;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import dev.procsync.sync.Lock;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * The kill-anywhere campaign across modules: child JVMs take a lock through the reactive face
 * (poller, per-subscription state machine, timeouts and cancellations racing grants) from two
 * threads each, and are SIGKILLed at random moments. After every kill, within a bound: the
 * blocking Lock of the same name is acquirable, a hold taken over from the dead says
 * {@code previousOwnerDied()} and only such a hold ever finds a half-done section, and every
 * survivor keeps making progress. A cancelled or timed-out reactive acquire that won the grant must
 * give the lock back, or the checker's acquire would time out. {@code -Dprocsync.soak=true} for 400
 * kills; default 40.
 *
 * <pre>
 *  board: 128 errors, 136 a, 144 b, 152 recoveries, 160 repairs, 168 sections, 176 cancels,
 *         256 heartbeat[64]
 * </pre>
 */
@Tag("campaign") // long: excluded by -Pquick, run by every full mvn verify
class ReactiveKillCampaignTest {
    static final int ERRORS = HeaderLayout.LENGTH;
    static final int A = ERRORS + 8;
    static final int B = ERRORS + 16;
    static final int RECOVERIES = ERRORS + 24;
    static final int REPAIRS = ERRORS + 32;
    static final int SECTIONS = ERRORS + 40;
    static final int CANCELS = ERRORS + 48;
    static final int HEARTBEATS = 256;
    static final int SLOTS = 64;
    static final Duration BOUND = Duration.ofSeconds(15);

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("rxcampaign");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    static Segment board(Namespace ns) {
        return ns.createOrOpen("rx-board", SegmentSpec.of(SegmentKind.SHARED_MEMORY,
                HEARTBEATS + 8 * SLOTS - HeaderLayout.LENGTH), s -> { });
    }

    /** Entering a section: repairs after a dead holder, counts a violation otherwise. */
    static void enter(Segment board, boolean ownerDied) {
        long a = board.getLongAcquire(A);
        long b = board.getLongAcquire(B);
        if (ownerDied) {
            board.getAndAddLong(RECOVERIES, 1);
            if (a != b) {
                board.setLongRelease(B, a);
                board.getAndAddLong(REPAIRS, 1);
            }
        } else if (a != b) {
            board.getAndAddLong(ERRORS, 1);
            System.out.println("VIOLATION a=" + a + " b=" + b + " without the owner-died signal");
        }
    }

    /** Child: two threads take the lock reactively, with timeouts and cancellations; args root, ns, slot, seed. */
    public static final class Worker {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            int slot = Integer.parseInt(args[2]);
            long seed = Long.parseLong(args[3]);
            ReactiveLock lock = ShmReactiveProcsync.of(ns).lock("rx-lock");
            Lock view = ns.lock("rx-lock"); // the shared ownerDied word, read while we hold the lock
            Segment board = board(ns);
            System.out.println("GO");
            for (int t = 0; t < 2; t++) {
                Random random = new Random(seed + t);
                Thread thread = new Thread(() -> work(lock, view, board, slot, random), "worker-" + t);
                thread.start();
            }
            new CountDownLatch(1).await();
        }

        private static void work(ReactiveLock lock, Lock view, Segment board, int slot, Random random) {
            while (true) {
                if (random.nextInt(4) == 0) {
                    // Subscribe and cancel at a random moment: whichever side loses the grant-vs-cancel
                    // race must give the lock back.
                    // A permit that does arrive is a hold like any other: if it was taken over from a dead
                    // holder it must repair before releasing, or the signal is spent with the damage left.
                    Disposable d = lock.acquire().subscribe(p -> {
                        enter(board, view.previousOwnerDied());
                        p.close();
                    });
                    LockSupport.parkNanos(1_000L * random.nextInt(500));
                    d.dispose();
                    board.getAndAddLong(CANCELS, 1);
                } else {
                    Permit permit;
                    try {
                        permit = lock.acquire(Duration.ofMillis(1 + random.nextInt(200))).block();
                    } catch (RuntimeException timedOut) {
                        permit = null;
                    }
                    if (permit != null) {
                        enter(board, view.previousOwnerDied());
                        board.setLongRelease(A, board.getLongAcquire(A) + 1);
                        if (random.nextInt(3) == 0) {
                            LockSupport.parkNanos(200_000 + random.nextInt(1_800_000));
                        }
                        board.setLongRelease(B, board.getLongAcquire(B) + 1);
                        board.getAndAddLong(SECTIONS, 1);
                        permit.release().block();
                    }
                }
                board.getAndAddLong(HEARTBEATS + 8 * slot, 1);
            }
        }
    }

    @Test
    void shouldRecoverTheLockAndKeepSurvivorsGoingThroughRandomKillsOfReactiveHolders() throws Exception {
        int kills = Integer.getInteger("procsync.campaign.rxkills", Boolean.getBoolean("procsync.soak") ? 400 : 40);
        long seed = Long.getLong("procsync.campaign.seed", System.nanoTime());
        Random random = new Random(seed);
        Segment board = board(ns);
        long started = System.nanoTime();
        int killed = 0;
        int next = 0;
        long checkerRecoveries = 0;
        List<String> violations = new ArrayList<>();
        try (Children children = new Children(); Lock lock = ns.lock("rx-lock")) {
            List<ChildProcess> live = new ArrayList<>();
            List<Integer> slots = new ArrayList<>();
            while (killed < kills) {
                while (live.size() < 2) {
                    int slot = next++ % SLOTS;
                    live.add(children.start(Worker.class, root.childArgs("rxcampaign", Integer.toString(slot),
                            Long.toString(random.nextLong()))));
                    slots.add(slot);
                }
                ChildProcess victim = live.remove(0);
                slots.remove(0);
                victim.awaitLine("GO"::equals, Children.JOIN);
                new CountDownLatch(1).await(random.nextInt(300), TimeUnit.MILLISECONDS); // spacing, not a handshake
                assertTrue(victim.isAlive(), () -> "worker died by itself:\n" + victim.output());
                victim.kill();
                assertTrue(victim.join(BOUND));
                killed++;
                victim.output().lines().filter(l -> l.startsWith("VIOLATION")).forEach(violations::add);
                children.all().remove(victim);

                assertTrue(lock.tryAcquire(BOUND), () -> "lock not recoverable within " + BOUND + ": " + lock);
                boolean died = lock.previousOwnerDied();
                checkerRecoveries += died ? 1 : 0;
                enter(board, died);
                lock.release();
                for (int i = 0; i < live.size(); i++) {
                    ChildProcess survivor = live.get(i);
                    if (!survivor.output().contains("GO")) {
                        continue;
                    }
                    int heartbeat = HEARTBEATS + 8 * slots.get(i);
                    long before = board.getLongAcquire(heartbeat);
                    long deadline = System.nanoTime() + BOUND.toNanos();
                    while (board.getLongAcquire(heartbeat) == before) {
                        assertTrue(survivor.isAlive() && System.nanoTime() < deadline, () -> "survivor wedged or "
                                + "dead:\n" + survivor.output());
                        LockSupport.parkNanos(1_000_000);
                    }
                }
            }
            for (ChildProcess l : live) {
                l.kill();
                l.join(BOUND);
            }
            assertTrue(lock.tryAcquire(BOUND));
            enter(board, lock.previousOwnerDied());
            assertEquals(board.getLongAcquire(A), board.getLongAcquire(B));
            lock.release();
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        System.out.println("[reliability] reactive campaign seed " + seed + ": " + killed + " SIGKILLs, " + seconds
                + " s; sections " + board.getLongAcquire(SECTIONS) + ", recovered from dead holder "
                + board.getLongAcquire(RECOVERIES) + " (by the checker " + checkerRecoveries + "), half-done repaired "
                + board.getLongAcquire(REPAIRS) + ", cancelled acquires " + board.getLongAcquire(CANCELS));
        assertEquals(0, board.getLongAcquire(ERRORS), () -> "violations: " + violations);
        assertTrue(board.getLongAcquire(RECOVERIES) > 0, "no kill ever landed while the lock was held");
    }
}
