package dev.procsync.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The owner-death verdict, on a live process ({@code sleep}) and a fake clock. */
class OwnerWatchTest {
    private static final long GRACE = TimeUnit.SECONDS.toNanos(1);

    private long now = 1_000;
    private Process live;
    private ProcessId liveId;

    @BeforeEach
    void startAProcess() throws Exception {
        live = new ProcessBuilder("sleep", "600").start();
        liveId = ProcessId.of((int) live.pid());
        if (liveId == null) {
            throw new IllegalStateException("sleep died at once");
        }
    }

    @AfterEach
    void stopIt() throws Exception {
        live.destroyForcibly();
        live.waitFor();
    }

    private OwnerWatch watch() {
        return new OwnerWatch(GRACE, () -> now);
    }

    @Test
    void shouldNeverDeclareALiveOwnerWithItsOwnStartTimeDead() {
        OwnerWatch watch = watch();
        for (int i = 0; i < 1_000; i++) {
            now += GRACE;
            assertFalse(watch.isOwnerDead(7, liveId.pid(), liveId.startTime()));
        }
    }

    @Test
    void shouldNotDeclareALiveOwnerDeadHoweverOftenItIsCheckedWithinTheGrace() {
        // The owner between its CAS and its start-time store: the stored start is a previous holder's.
        OwnerWatch watch = watch();
        for (int i = 0; i < 100_000; i++) {
            assertFalse(watch.isOwnerDead(7, liveId.pid(), 12345), "check " + i);
        }
        now += GRACE - 1;
        assertFalse(watch.isOwnerDead(7, liveId.pid(), 12345));
    }

    @Test
    void shouldDeclareAReusedPidDeadOnceTheMismatchOutlastsTheGrace() {
        OwnerWatch watch = watch();
        assertFalse(watch.isOwnerDead(7, liveId.pid(), 12345));
        now += GRACE;
        assertTrue(watch.isOwnerDead(7, liveId.pid(), 12345));
    }

    @Test
    void shouldRestartTheGraceWhenTheWordChangesOrTheStartTimeMatches() {
        OwnerWatch watch = watch();
        assertFalse(watch.isOwnerDead(7, liveId.pid(), 12345));
        now += GRACE / 2;
        assertFalse(watch.isOwnerDead(8, liveId.pid(), 12345), "a new hold: its owner gets a whole grace");
        now += GRACE / 2;
        assertFalse(watch.isOwnerDead(8, liveId.pid(), 12345));
        assertFalse(watch.isOwnerDead(8, liveId.pid(), liveId.startTime()), "the owner stored its start");
        now += GRACE / 2;
        assertFalse(watch.isOwnerDead(8, liveId.pid(), 12345), "the grace starts again here");
        now += GRACE - 1;
        assertFalse(watch.isOwnerDead(8, liveId.pid(), 12345));
        now += 1;
        assertTrue(watch.isOwnerDead(8, liveId.pid(), 12345));
    }

    @Test
    void shouldDeclareAGoneProcessDeadAtOnce() throws Exception {
        int pid = liveId.pid();
        live.destroyForcibly();
        live.waitFor();
        assertTrue(watch().isOwnerDead(7, pid, liveId.startTime()));
    }

    @Test
    void shouldNeverDeclareThisProcessOrNobodyDead() {
        OwnerWatch watch = watch();
        assertFalse(watch.isOwnerDead(7, ProcessId.current().pid(), 12345));
        now += 10 * GRACE;
        assertFalse(watch.isOwnerDead(7, ProcessId.current().pid(), 12345));
        assertFalse(watch.isOwnerDead(0, 0, 0));
    }

    @Test
    void shouldRejectANegativeGrace() {
        assertThrows(IllegalArgumentException.class, () -> new OwnerWatch(-1, System::nanoTime));
    }
}
