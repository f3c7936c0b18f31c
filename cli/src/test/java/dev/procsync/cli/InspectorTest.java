package dev.procsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.process.ChildProcess;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import dev.procsync.sync.Lock;
import dev.procsync.sync.RLock;
import dev.procsync.sync.Semaphore;
import dev.procsync.sync.SemaphoreOptions;
import dev.procsync.testing.Children;
import dev.procsync.testing.OtherUser;
import dev.procsync.testing.TempRoot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InspectorTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("alpha");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    /** Result of one command line. */
    record Result(int code, String out, String err) {
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        all[0] = "--root";
        all[1] = root.path().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = Inspector.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Child: takes the named lock, says HELD, and holds it until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            Lock lock = ns.lock(args[2]);
            lock.acquire();
            System.out.println("HELD");
            new CountDownLatch(1).await();
        }
    }

    /** Child: takes the named rlock twice (reentrant), says HELD, and holds it until killed. */
    public static final class RHolder {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            RLock lock = ns.rlock(args[2]);
            lock.acquire();
            lock.acquire();
            System.out.println("HELD");
            new CountDownLatch(1).await();
        }
    }

    /** Child: takes two permits of the undo-on-death semaphore "undo" (3 permits), says HELD, holds until killed. */
    public static final class PermitHolder {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            Semaphore sem = ns.semaphore("undo", 3, SemaphoreOptions.undoOnDeath());
            sem.acquire(2);
            System.out.println("HELD");
            new CountDownLatch(1).await();
        }
    }

    @Test
    void shouldShowUndoSemaphoreHoldersAndGiveADeadOnesPermitsBackInGc() throws Exception {
        try (Children children = new Children();
                Semaphore sem = ns.semaphore("undo", 3, SemaphoreOptions.undoOnDeath())) {
            ChildProcess holder = children.start(PermitHolder.class, root.childArgs("alpha"));
            holder.awaitLine("HELD"::equals, Children.JOIN);
            Result shown = run("show", "alpha", "undo");
            assertTrue(shown.out().contains("undoOnDeath(64)")
                    && shown.out().contains(holder.pid() + " holds 2 (alive)"), shown.out());
            assertFalse(run("gc", "alpha").out().contains("alpha/undo"), "a live holder is never robbed");
            holder.kill();
            assertTrue(holder.join(Children.JOIN));
            assertTrue(run("show", "alpha", "undo").out().contains(holder.pid() + " holds 2 (dead)"));
            assertTrue(run("--dry-run", "gc", "alpha").out().contains("alpha/undo: would give back"));
            assertEquals(1, sem.availablePermits(), "a dry run changes nothing");
            Result gc = run("gc", "alpha");
            assertTrue(gc.out().contains(
                    "alpha/undo: gave back 2 permits (undo-on-death semaphore: dead holders hold 2"), gc.out());
            assertEquals(3, sem.availablePermits());
            assertTrue(sem.tryAcquire(3));
            assertTrue(sem.previousOwnerDied(), "the acquirer of the dead holder's permits is told");
            sem.release(3);
        }
    }

    @Test
    void shouldPassTheOwnerDiedSignalThroughGcToTheNextHolderOnly() throws Exception {
        try (Children children = new Children()) {
            ChildProcess lockHolder = children.start(Holder.class, root.childArgs("alpha", "plain"));
            ChildProcess rlockHolder = children.start(RHolder.class, root.childArgs("alpha", "reentrant"));
            lockHolder.awaitLine("HELD"::equals, Children.JOIN);
            rlockHolder.awaitLine("HELD"::equals, Children.JOIN);
            lockHolder.kill();
            rlockHolder.kill();
            assertTrue(lockHolder.join(Children.JOIN) && rlockHolder.join(Children.JOIN));

            ns.event("in-use").close(); // created by this live process: gc keeps the namespace
            Result gc = run("gc", "alpha");
            assertEquals(0, gc.code(), gc.err());
            assertTrue(gc.out().contains("alpha/plain: recovered and released (lock held by dead pid "
                    + lockHolder.pid() + "; the next holder is told previousOwnerDied())"), gc.out());
            assertTrue(gc.out().contains("alpha/reentrant: recovered and released (rlock held by dead pid "
                    + rlockHolder.pid() + "; the next holder is told previousOwnerDied())"), gc.out());

            try (Lock lock = ns.lock("plain"); RLock rlock = ns.rlock("reentrant")) {
                assertFalse(lock.isLocked(), "gc released the lock");
                assertFalse(rlock.isLocked(), "gc released the rlock");
                assertTrue(lock.tryAcquire(), "uncontended after gc");
                assertTrue(lock.previousOwnerDied(), "the first holder after gc is told the owner died");
                lock.release();
                assertTrue(lock.tryAcquire());
                assertFalse(lock.previousOwnerDied(), "a normal release clears the signal");
                lock.release();

                assertTrue(rlock.tryAcquire());
                assertTrue(rlock.tryAcquire());
                assertTrue(rlock.previousOwnerDied(), "the first rlock holder after gc is told the owner died");
                rlock.release();
                assertTrue(rlock.previousOwnerDied(), "an inner release keeps it");
                rlock.release();
                assertTrue(rlock.tryAcquire());
                assertFalse(rlock.previousOwnerDied(), "a full release clears the signal");
                rlock.release();
            }
            assertEquals(0, run("gc", "alpha").code());
            assertTrue(run("gc", "alpha").out().contains("gc: nothing to do"), "nothing left to recover");
        }
    }

    @Test
    void shouldSkipWhatAnotherUserMayNotReadAndGcOnlyThatUsersOwnNamespaces() throws Exception {
        OtherUser.assumeAvailable();
        ns.lock("l").close();
        Files.setAttribute(root.path(), "unix:mode", 01777); // a shared place, as /dev/shm is
        Path own = root.path().resolve("nobody-root");
        String temp = ".x.99999999.abc123.creating"; // pid 99999999 is above any pid_max: its creator is dead
        OtherUser.Result setUp = OtherUser.shell("mkdir -m 0700 " + own + " && mkdir -m 0700 " + own + "/mine && touch "
                + own + "/mine/" + temp + " && chmod 0600 " + own + "/mine/" + temp);
        assertEquals(0, setUp.code(), setUp.out());
        try (OtherUser nobody = new OtherUser()) {
            OtherUser.Result list = nobody.java(Inspector.class, "--root", root.path().toString(), "list");
            assertEquals(0, list.code(), list.out());
            assertTrue(list.out().contains("namespace alpha") && list.out().contains("skipped: cannot read "
                    + root.path().resolve("alpha") + " (permission denied, owned by uid 0)"), list.out());
            OtherUser.Result gcOthers = nobody.java(Inspector.class, "--root", root.path().toString(), "gc");
            assertEquals(0, gcOthers.code(), gcOthers.out());
            assertTrue(gcOthers.out().contains("gc: alpha/*: skipped (" + root.path() + ": refused: owned by uid 0"),
                    gcOthers.out());
            OtherUser.Result gcOwn = nobody.java(Inspector.class, "--root", own.toString(), "gc");
            assertEquals(0, gcOwn.code(), gcOwn.out());
            assertTrue(gcOwn.out().contains("gc: mine/" + temp + ": removed"), gcOwn.out());
        }
        assertFalse(Files.exists(own.resolve("mine").resolve(temp)));
        assertTrue(Files.exists(ns.directory().resolve("l")), "another user's gc must leave root's files alone");
    }

    @Test
    void shouldListNamespacesSegmentsKindsSizesAndProblems() throws Exception {
        try (Lock lock = ns.lock("db")) {
            ns.createOrOpen("counter", SegmentSpec.of(SegmentKind.VALUE, 8), s -> { }).close();
            Files.write(ns.directory().resolve("junk"), new byte[10]);
            Result text = run("list");
            assertEquals(0, text.code(), text.err());
            assertTrue(text.out().contains("namespace alpha"), text.out());
            assertTrue(text.out().matches("(?s).*db\\s+LOCK\\s+4096\\s+\\d+ \\(alive\\)\\s+free.*"), text.out());
            assertTrue(text.out().matches("(?s).*counter\\s+VALUE\\s+4096.*"), text.out());
            assertTrue(text.out().contains("INVALID: 10 bytes is shorter than the 128-byte header"), text.out());

            lock.acquire();
            Result json = run("--json", "list");
            assertEquals(0, json.code());
            assertTrue(json.out().startsWith("{") && json.out().contains("\"name\":\"db\"")
                    && json.out().contains("\"kind\":\"LOCK\"") && json.out().contains("\"size\":4096")
                    && json.out().contains("\"ownerPid\":" + ProcessHandle.current().pid())
                    && json.out().contains("\"owner\":\"alive\""), json.out());
            lock.release();
        }
    }

    @Test
    void shouldShowLiveAndDeadHoldersAndRecoverOnlyDeadOnesInGc() throws Exception {
        try (Children children = new Children()) {
            ChildProcess live = children.start(Holder.class, root.childArgs("alpha", "live"));
            ChildProcess doomed = children.start(Holder.class, root.childArgs("alpha", "doomed"));
            live.awaitLine("HELD"::equals, Children.JOIN);
            doomed.awaitLine("HELD"::equals, Children.JOIN);

            Result shown = run("show", "alpha", "live");
            assertEquals(0, shown.code(), shown.err());
            assertTrue(shown.out().contains("held by " + live.pid() + " (alive)"), shown.out());
            assertTrue(shown.out().matches("(?s).*attachedPids: \\[[^]]*\\b" + live.pid() + "\\b.*"), shown.out());

            // A creator that died mid-create leaves a temporary file; one of a live creator must stay.
            Path deadTemp = ns.directory().resolve(".half." + doomed.pid() + ".abc123.creating");
            Path liveTemp = ns.directory().resolve(".busy." + ProcessHandle.current().pid() + ".def456.creating");
            Files.write(deadTemp, new byte[0]);
            Files.write(liveTemp, new byte[0]);

            doomed.kill();
            assertTrue(doomed.join(Children.JOIN));
            Result dead = run("--json", "show", "alpha", "doomed");
            assertTrue(dead.out().contains("\"ownerPid\":" + doomed.pid()) && dead.out().contains("\"owner\":\"dead\""),
                    dead.out());

            Result dry = run("--dry-run", "gc");
            assertTrue(dry.out().contains("alpha/doomed: would recover") && dry.out().contains("would remove"),
                    dry.out());
            assertTrue(Files.exists(deadTemp), "a dry run changes nothing");

            Result gc = run("gc");
            assertEquals(0, gc.code(), gc.err());
            assertTrue(gc.out().contains("alpha/doomed: recovered and released (lock held by dead pid " + doomed.pid()),
                    gc.out());
            assertTrue(gc.out().contains(deadTemp.getFileName() + ": removed"), gc.out());
            assertFalse(gc.out().contains("alpha/live"), "a live holder is never touched: " + gc.out());
            assertFalse(Files.exists(deadTemp));
            assertTrue(Files.exists(liveTemp), "a live creator's temporary file stays");

            try (Lock liveLock = ns.lock("live"); Lock doomedLock = ns.lock("doomed")) {
                assertEquals(live.pid(), liveLock.ownerPid(), "the live holder still holds its lock");
                assertFalse(doomedLock.isLocked(), "the dead holder's lock is free again");
            }
            assertTrue(live.isAlive());
            Files.delete(liveTemp);
        }
    }

    @Test
    void shouldUnlinkNamesAndReportBadUsageAndMissingThingsWithExitCodes() throws Exception {
        ns.lock("gone").close();
        Result unlinked = run("unlink", "alpha", "gone");
        assertEquals(0, unlinked.code(), unlinked.err());
        assertFalse(ns.exists("gone"));
        assertEquals(1, run("unlink", "alpha", "gone").code());
        Result missing = run("show", "nosuch");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no namespace 'nosuch'"), missing.err());
        Result badName = run("unlink", "alpha", "../etc");
        assertEquals(1, badName.code());
        assertTrue(badName.err().contains("invalid name"), badName.err());
        assertEquals(2, run("frobnicate").code());
        assertEquals(2, run().code());
        assertEquals(0, run("--help").code());
    }

    @Test
    void shouldDecodeTheStateOfSemaphoresEventsAndBarriers() throws Exception {
        try (var semaphore = ns.semaphore("pool", 3); var event = ns.event("ready");
                var barrier = ns.barrier("meet", 2)) {
            assertTrue(semaphore.tryAcquire());
            event.set();
            Result shown = run("--json", "show", "alpha");
            assertEquals(0, shown.code(), shown.err());
            assertTrue(shown.out().contains("\"initialPermits\":3,\"permits\":2"), shown.out());
            assertTrue(shown.out().contains("\"set\":true,\"timesSet\":1"), shown.out());
            assertTrue(shown.out().contains("\"parties\":2,\"waiting\":0,\"phase\":\"FILLING\""), shown.out());
            try (var pipe = ns.pipe("wire", false)) {
                pipe.b().sendBytes(new byte[5]);
                Result piped = run("--json", "show", "alpha", "wire");
                assertTrue(piped.out().contains("\"endA\":\"pid " + ProcessHandle.current().pid() + " (alive)\"")
                        && piped.out().contains("\"bufferedBtoA\":13"), piped.out()); // 8-byte length + 5
            }
            try (var queue = ns.queue("jobs", dev.procsync.codec.Codecs.utf8())) {
                queue.put("a");
                queue.put("b");
                Result queued = run("--json", "show", "alpha", "jobs");
                assertTrue(queued.out().contains("\"depth\":2") && queued.out().contains("\"claimLock\":\"free\"")
                        && queued.out().contains("\"codec\":\"utf8\""), queued.out());
                assertTrue(queued.out().contains("\"ringBytes\":1048576"), "the inspector says what was reserved: "
                        + queued.out());
            }
            Result listed = run("list");
            assertTrue(listed.out().matches("(?s).*pool\\s+SEMAPHORE\\s+4096.*permits=2.*"), listed.out());
            semaphore.release();
            assertEquals(3, semaphore.availablePermits(), barrier.toString());
        }
    }

    /** Child: creates a lock and a value in the namespace, says DONE, and exits. */
    public static final class Creator {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args)) {
                ns.lock("l").close();
                ns.sharedLong("v").set(7);
                System.out.println("DONE");
            }
        }
    }

    @Test
    void shouldSayUnknownOptionAndPrintHelp() {
        Result bogus = run("--bogus", "list");
        assertEquals(2, bogus.code());
        assertTrue(bogus.err().contains("Unknown option: '--bogus'"), bogus.err());
        Result help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("Usage: procsync") && help.out().contains("gc"), help.out());
    }

    @Test
    void shouldDecodeValuesAndArraysAndWriteValidJson() throws Exception {
        try (var value = ns.sharedLong("count"); var ratio = ns.sharedDouble("ratio");
                var array = ns.intArray("slots", 3)) {
            value.set(42);
            ratio.set(Double.NaN);
            array.set(1, 5);
            Result shown = run("--json", "show", "alpha");
            assertEquals(0, shown.code(), shown.err());
            var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(shown.out()); // valid JSON
            assertEquals(3, tree.get("segments").size(), shown.out());
            assertTrue(shown.out().contains("\"type\":\"long\",\"value\":42"), shown.out());
            assertTrue(shown.out().contains("\"value\":\"NaN\""), shown.out());
            assertTrue(shown.out().contains("\"type\":\"int\",\"length\":3,\"elements\":[0,5,0]"), shown.out());
            assertTrue(run("show", "alpha", "count").out().contains("value: 42"));
        }
    }

    @Test
    void shouldRefuseToRemoveANamespaceInUseUnlessForced() throws Exception {
        try (Children children = new Children()) {
            ChildProcess holder = children.start(Holder.class, root.childArgs("alpha", "held"));
            holder.awaitLine("HELD"::equals, Children.JOIN);
            Result refused = run("rm", "alpha");
            assertEquals(1, refused.code());
            assertTrue(refused.err().contains("is in use, not removed")
                    && refused.err().contains("pid " + holder.pid()), refused.err());
            assertTrue(Files.exists(ns.directory()));
            Result forced = run("rm", "--force", "alpha");
            assertEquals(0, forced.code(), forced.err());
            assertFalse(Files.exists(ns.directory()));
        }
    }

    @Test
    void shouldRemoveInGcNamespacesThatOnlyDeadProcessesUsed() throws Exception {
        try (Children children = new Children(); Namespace other = root.open("beta")) {
            ChildProcess creator = children.start(Creator.class, root.childArgs("beta"));
            creator.awaitLine("DONE"::equals, Children.JOIN);
            assertTrue(creator.join(Children.JOIN));
            ns.event("mine").close(); // alpha: created by this live process
            Result dry = run("--dry-run", "gc");
            assertTrue(dry.out().contains("gc: beta/*: would remove namespace"), dry.out());
            assertTrue(Files.exists(other.directory()));
            Result gc = run("gc");
            assertEquals(0, gc.code(), gc.err());
            assertTrue(gc.out().contains("gc: beta/*: removed namespace"), gc.out());
            assertFalse(gc.out().contains("alpha/*"), gc.out());
            assertFalse(Files.exists(other.directory()));
            assertTrue(Files.exists(ns.directory()));
        }
    }
}
