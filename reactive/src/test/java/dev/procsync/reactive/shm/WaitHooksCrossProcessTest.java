package dev.procsync.reactive.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.procsync.Namespace;
import dev.procsync.codec.Codecs;
import dev.procsync.channel.Connection;
import dev.procsync.channel.JoinableQueue;
import dev.procsync.channel.Pipe;
import dev.procsync.channel.QueueCapacity;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveConnection;
import dev.procsync.reactive.ReactiveJoinableQueue;
import dev.procsync.reactive.testing.Ns;
import dev.procsync.sync.Event;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JoinableQueue "joined" hook and the pipe's receive hook: a pending reactive join or receive
 * completes when a child JVM (blocking API) finishes the tasks or sends, and while it is pending
 * the poller thread sleeps in the kernel instead of polling every millisecond.
 */
class WaitHooksCrossProcessTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** How long the idle poller is watched: a 1 ms poll would wake ~300 times in it, the 25 ms sweep ~12. */
    private static final long WINDOW_MILLIS = 300;
    /** Voluntary context switches of the poller allowed in the window (sweeps + doorbell, with margin). */
    private static final long MAX_WAKEUPS = 40;

    private final Ns ns = new Ns("rxhooks");

    @AfterEach
    void cleanUp() {
        ns.close();
    }

    /** Child: waits for event "go", then sends "hello" from end B of one-way pipe "p" and closes it. */
    public static final class Sender {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); Connection<String> end = Pipe.end(ns, "p", Pipe.End.B,
                    false, Pipe.DEFAULT_CAPACITY, Codecs.utf8())) {
                Event go = ns.event("go");
                if (!go.await(BOUND)) {
                    throw new IllegalStateException("never told to go");
                }
                end.send("hello");
            }
        }
    }

    /** Child: waits for event "go", then takes both tasks of joinable queue "jq" and marks them done. */
    public static final class Finisher {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args);
                    JoinableQueue<String> q = ns.joinableQueue("jq", Codecs.utf8(), QueueCapacity.messages(8))) {
                Event go = ns.event("go");
                if (!go.await(BOUND)) {
                    throw new IllegalStateException("never told to go");
                }
                for (int i = 0; i < 2; i++) {
                    q.get();
                    q.taskDone();
                }
            }
        }
    }

    @Test
    void shouldSleepInTheKernelWhileAReceiveIsPendingAndWakeWhenAnotherProcessSends() throws Exception {
        try (Children children = new Children();
                ReactiveConnection<String> reader = ns.rx.connection("p", true, false, Codecs.utf8())) {
            Event go = ns.ns.event("go");
            children.start(Sender.class, ns.root.childArgs("rxhooks"));
            CompletableFuture<String> received = reader.receive().next().toFuture();

            long wakeups = pollerWakeupsWhileIdle();
            assertFalse(received.isDone(), "nothing was sent yet");
            assertTrue(wakeups <= MAX_WAKEUPS, "the poller woke " + wakeups + " times in " + WINDOW_MILLIS
                    + " ms with one receive pending: it polls instead of sleeping on the data word");

            go.set();
            assertEquals("hello", received.get(BOUND.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
            children.joinAllSuccessfully();
        }
    }

    /** Child: waits for event "go", then sets shared long "v" to 7. */
    public static final class ValueSetter {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args); dev.procsync.data.SharedLong v = ns.sharedLong("v")) {
                Event go = ns.event("go");
                if (!go.await(BOUND)) {
                    throw new IllegalStateException("never told to go");
                }
                v.set(7);
            }
        }
    }

    @Test
    void shouldSleepInTheKernelWhileWatchingAValueAndWakeWhenAnotherProcessSetsIt() throws Exception {
        try (Children children = new Children(); dev.procsync.reactive.ReactiveValue<Long> v = ns.rx.longValue("v")) {
            Event go = ns.ns.event("go");
            children.start(ValueSetter.class, ns.root.childArgs("rxhooks"));
            CompletableFuture<Long> changed = v.changes().skip(1).next().toFuture(); // skip the current 0

            long wakeups = pollerWakeupsWhileIdle();
            assertFalse(changed.isDone(), "nothing was set yet");
            assertTrue(wakeups <= MAX_WAKEUPS, "the poller woke " + wakeups + " times in " + WINDOW_MILLIS
                    + " ms with one value watched: it polls instead of sleeping on the change word");

            go.set();
            assertEquals(7L, changed.get(BOUND.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
            children.joinAllSuccessfully();
        }
    }

    @Test
    void shouldSleepInTheKernelWhileAJoinIsPendingAndWakeWhenAnotherProcessFinishesTheTasks() throws Exception {
        try (Children children = new Children();
                ReactiveJoinableQueue<String> q = ns.rx.joinableQueue("jq", Codecs.utf8(),
                        QueueBound.messages(8))) {
            Event go = ns.ns.event("go");
            q.put("a").then(q.put("b")).block(BOUND);
            children.start(Finisher.class, ns.root.childArgs("rxhooks"));
            CompletableFuture<Void> joined = q.join().toFuture();

            long wakeups = pollerWakeupsWhileIdle();
            assertFalse(joined.isDone(), "no task is done yet");
            assertTrue(wakeups <= MAX_WAKEUPS, "the poller woke " + wakeups + " times in " + WINDOW_MILLIS
                    + " ms with one join pending: it polls instead of sleeping on the joined word");

            go.set();
            joined.get(BOUND.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            children.joinAllSuccessfully();
        }
    }

    /**
     * Waits (bounded) until the poller thread sleeps in a futex wait, then counts its voluntary
     * context switches over a fixed window: the window is the measurement, not a synchronization.
     */
    private static long pollerWakeupsWhileIdle() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        Path task;
        while ((task = pollerTask()) == null || !Files.readString(task.resolve("wchan")).contains("futex")) {
            if (System.nanoTime() - deadline > 0) {
                fail("the poller thread never slept in a futex wait");
            }
            Thread.onSpinWait();
        }
        long before = voluntarySwitches(task);
        Thread.sleep(WINDOW_MILLIS);
        return voluntarySwitches(task) - before;
    }

    private static Path pollerTask() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).trim().equals("procsync-poller")) {
                        return task;
                    }
                } catch (IOException gone) {
                    // the thread exited while we listed
                }
            }
        }
        return null;
    }

    private static long voluntarySwitches(Path task) throws IOException {
        for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new IllegalStateException("no voluntary_ctxt_switches in " + task);
    }
}
