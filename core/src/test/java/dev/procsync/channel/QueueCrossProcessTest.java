package dev.procsync.channel;

import dev.procsync.layout.QueueLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.codec.Codecs;
import dev.procsync.process.ChildProcess;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueueCrossProcessTest {
    static final String NS = "xqueue";

    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open(NS);

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    static QueueCapacity capacity(String bytes) {
        return QueueCapacity.bytes(Long.parseLong(bytes));
    }

    /** Child: puts messages seq 0..count-1 as producer {@code id}, noting each after put returns. */
    public static final class Producer {
        public static void main(String[] args) throws Exception {
            int id = Integer.parseInt(args[2]);
            int count = Integer.parseInt(args[3]);
            int minLength = Integer.parseInt(args[4]);
            int maxLength = Integer.parseInt(args[5]);
            try (Namespace ns = TempRoot.openFromArgs(args);
                    Queue<byte[]> q = ns.queue("q", Codecs.bytes(), capacity(args[6]));
                    Ledger ledger = new Ledger(ns)) {
                System.out.println("READY");
                java.util.Random random = new java.util.Random(id);
                String mode = args.length > 7 ? args[7] : "plain";
                java.util.List<byte[]> batch = new java.util.ArrayList<>();
                for (int seq = 0; seq < count; seq++) {
                    int length = minLength + (maxLength > minLength ? random.nextInt(maxLength - minLength) : 0);
                    if ("batch".equals(mode)) {
                        batch.add(Ledger.message(id, seq, length).array());
                        if (batch.size() == 16 || seq == count - 1) {
                            q.putAll(batch);
                            ledger.committed(id, seq);
                            batch.clear();
                        }
                    } else {
                        q.putBytes(Ledger.message(id, seq, length));
                        ledger.committed(id, seq);
                    }
                }
                System.out.println("DONE");
                if ("stay".equals(mode)) {
                    new CountDownLatch(1).await(); // stay until killed
                }
            }
        }
    }

    /** Child: gets and records messages until the queue is shut down and empty. */
    public static final class Consumer {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args);
                    Queue<byte[]> q = ns.queue("q", Codecs.bytes(), capacity(args[2]));
                    Ledger ledger = new Ledger(ns)) {
                System.out.println("READY");
                boolean batch = args.length > 3 && "batch".equals(args[3]);
                java.util.List<byte[]> drained = new java.util.ArrayList<>();
                try {
                    while (true) {
                        if (batch && q.drainTo(drained, 64) > 0) {
                            drained.forEach(m -> ledger.delivered(ByteBuffer.wrap(m)));
                            drained.clear();
                        } else {
                            ledger.delivered(ByteBuffer.wrap(q.get()));
                        }
                    }
                } catch (QueueShutdownException expected) {
                    System.out.println("SHUTDOWN");
                }
            }
        }
    }

    private void deliverExactlyOnceInProducerOrder(int producers, int consumers, int perProducer) throws Exception {
        String cap = Long.toString(256 << 10);
        try (Children children = new Children(); Ledger ledger = new Ledger(ns);
                Queue<byte[]> q = ns.queue("q", Codecs.bytes(), capacity(cap))) {
            ChildProcess[] cs = new ChildProcess[consumers];
            for (int i = 0; i < consumers; i++) {
                cs[i] = children.start(Consumer.class, root.childArgs(NS, cap, i % 2 == 0 ? "single" : "batch"));
            }
            ChildProcess[] ps = new ChildProcess[producers];
            for (int i = 0; i < producers; i++) {
                ps[i] = children.start(Producer.class, root.childArgs(NS, Integer.toString(i),
                        Integer.toString(perProducer), "8", "64", cap, i % 2 == 0 ? "plain" : "batch"));
            }
            for (ChildProcess p : ps) {
                assertEquals(0, p.joinExitCode(Children.JOIN), p::output);
            }
            q.shutdown();
            children.joinAllSuccessfully();
            assertEquals(0, ledger.duplicates(), "duplicates");
            assertEquals(0, ledger.fifoViolations(), "per-producer FIFO violations");
            assertEquals((long) producers * perProducer, ledger.delivered());
            for (int p = 0; p < producers; p++) {
                for (int seq = 0; seq < perProducer; seq++) {
                    if (!ledger.isDelivered(p, seq)) {
                        throw new AssertionError("message " + p + "/" + seq + " never delivered");
                    }
                }
            }
            assertTrue(q.isEmpty());
        }
    }

    @Test
    void shouldDeliverEveryMessageOnceInProducerOrderTwoByTwo() throws Exception {
        deliverExactlyOnceInProducerOrder(2, 2, 500_000);
    }

    @Test
    void shouldDeliverEveryMessageOnceInProducerOrderThreeToOne() throws Exception {
        deliverExactlyOnceInProducerOrder(3, 1, 350_000);
    }

    @Test
    void shouldCarryMessagesNearTheMaximumBetweenProcesses() throws Exception {
        long bytes = 256 << 10;
        String cap = Long.toString(bytes);
        try (Children children = new Children(); Ledger ledger = new Ledger(ns);
                Queue<byte[]> q = ns.queue("q", Codecs.bytes(), capacity(cap))) {
            int max = (int) q.maxMessageSize();
            children.start(Producer.class, root.childArgs(NS, "0", "60", Integer.toString(max - 100),
                    Integer.toString(max), cap));
            for (int i = 0; i < 60; i++) {
                byte[] m = q.get();
                assertTrue(m.length > max - 100 && m.length <= max, "length " + m.length);
                ledger.delivered(ByteBuffer.wrap(m)); // checks every byte
            }
            children.joinAllSuccessfully();
            assertEquals(60, ledger.delivered());
            assertEquals(0, ledger.fifoViolations());
        }
    }

    /** Child: fills a queue of 4 messages with 8 puts; says how far it got. */
    public static final class Filler {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args);
                    Queue<Integer> q = ns.queue("small", Codecs.int32(), QueueCapacity.messages(4))) {
                for (int i = 0; i < 8; i++) {
                    q.put(i);
                    System.out.println("PUT " + i);
                }
            }
        }
    }

    @Test
    void shouldBlockProducerInAnotherProcessWhileFull() throws Exception {
        try (Children children = new Children();
                Queue<Integer> q = ns.queue("small", Codecs.int32(), QueueCapacity.messages(4))) {
            ChildProcess filler = children.start(Filler.class, root.childArgs(NS));
            filler.awaitLine("PUT 3"::equals, Children.JOIN);
            assertFalse(filler.join(Duration.ofMillis(200)), "the fifth put must wait for room");
            assertEquals(4, q.size());
            assertTrue(q.isFull());
            for (int i = 0; i < 8; i++) {
                assertEquals(i, q.get());
            }
            children.joinAllSuccessfully();
            assertFalse(filler.output().contains("PUT 8"));
        }
    }

    /** Child: blocks in get() or put() and reports how it ended. */
    public static final class Waiter {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args);
                    Queue<Integer> q = ns.queue("small", Codecs.int32(), QueueCapacity.messages(1))) {
                boolean putter = "put".equals(args[2]);
                try {
                    if (putter) {
                        q.put(1);
                        System.out.println("WAITING");
                        q.put(2);
                    } else {
                        System.out.println("WAITING");
                        q.get();
                    }
                    System.out.println("RETURNED");
                } catch (QueueShutdownException e) {
                    System.out.println("SHUTDOWN " + e.getMessage());
                }
            }
        }
    }

    @Test
    void shouldWakeWaitersInOtherProcessesOnShutdown() throws Exception {
        try (Children children = new Children();
                Queue<Integer> q = ns.queue("small", Codecs.int32(), QueueCapacity.messages(1))) {
            ChildProcess getter = children.start(Waiter.class, root.childArgs(NS, "get"));
            getter.awaitLine("WAITING"::equals, Children.JOIN);
            assertFalse(getter.join(Duration.ofMillis(100)));
            q.shutdown();
            getter.awaitLine(l -> l.startsWith("SHUTDOWN"), Children.JOIN);
            assertEquals(0, getter.joinExitCode(Children.JOIN));
        }
        ns.unlink("small");
        try (Children children = new Children();
                Queue<Integer> q = ns.queue("small", Codecs.int32(), QueueCapacity.messages(1))) {
            ChildProcess putter = children.start(Waiter.class, root.childArgs(NS, "put"));
            putter.awaitLine("WAITING"::equals, Children.JOIN);
            assertFalse(putter.join(Duration.ofMillis(100)));
            q.shutdown();
            putter.awaitLine(l -> l.startsWith("SHUTDOWN"), Children.JOIN);
            assertEquals(0, putter.joinExitCode(Children.JOIN));
            assertEquals(1, q.get(), "messages put before shutdown are still delivered");
        }
    }

    /** Child: polls with a short timeout on an empty queue, then with a long one for the parent's message. */
    public static final class Poller {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args);
                    Queue<Integer> q = ns.queue("small", Codecs.int32(), QueueCapacity.messages(1))) {
                long start = System.nanoTime();
                Integer none = q.poll(Duration.ofMillis(200));
                long waited = (System.nanoTime() - start) / 1_000_000;
                System.out.println("FIRST " + none + " after " + (waited >= 200 ? "at least 200 ms" : waited + " ms"));
                Integer some = q.poll(Duration.ofSeconds(30));
                System.out.println("SECOND " + some);
                q.put(1);
                start = System.nanoTime();
                boolean put = q.offer(2, Duration.ofMillis(200));
                waited = (System.nanoTime() - start) / 1_000_000;
                System.out.println("OFFER " + put + " after " + (waited >= 200 ? "at least 200 ms" : waited + " ms"));
            }
        }
    }

    @Test
    void shouldTimeOutGetAndPutInAnotherProcessAndWakeOnArrival() throws Exception {
        try (Children children = new Children();
                Queue<Integer> q = ns.queue("small", Codecs.int32(), QueueCapacity.messages(1))) {
            ChildProcess poller = children.start(Poller.class, root.childArgs(NS));
            poller.awaitLine(l -> l.startsWith("FIRST"), Children.JOIN);
            q.put(7);
            poller.awaitLine(l -> l.startsWith("SECOND"), Children.JOIN);
            children.joinAllSuccessfully();
            String out = poller.output();
            assertTrue(out.contains("FIRST null after at least 200 ms"), out);
            assertTrue(out.contains("SECOND 7"), out);
            assertTrue(out.contains("OFFER false after at least 200 ms"), out);
            assertEquals(1, q.get());
        }
    }

    /**
     * Child: leaves what a producer stopped inside put leaves (a published IN_PROGRESS record with
     * its own pid, or the claim lock held by its own pid) and waits to be killed.
     */
    public static final class Claimer {
        public static void main(String[] args) throws Exception {
            Namespace ns = TempRoot.openFromArgs(args);
            Queue<String> q = ns.queue("claims", Codecs.utf8());
            var s = q.segment();
            var me = dev.procsync.process.ProcessId.current();
            if ("record".equals(args[2])) {
                long tail = s.getLongAcquire(QueueLayout.TAIL);
                int at = QueueLayout.RING + (int) (Ring.pos(tail) & (q.ring.ringSize - 1));
                s.setLong(at + 8, me.pid() | me.startTime() << 22);
                s.setLong(at, QueueLayout.IN_PROGRESS | 1000);
                s.setLong(QueueLayout.PUT_TOTAL, s.getLong(QueueLayout.PUT_TOTAL) + 1);
                s.setLongRelease(QueueLayout.TAIL, Ring.word(Ring.pos(tail) + Ring.recordLength(1000),
                        Ring.count(tail) + 1));
            } else {
                s.setLong(QueueLayout.LOCK_START, me.startTime());
                s.setIntRelease(QueueLayout.LOCK, me.pid());
            }
            System.out.println("CLAIMED");
            new CountDownLatch(1).await();
        }
    }

    @Test
    void shouldWaitForALiveClaimerAndSkipItsRecordOnceItIsKilled() throws Exception {
        try (Children children = new Children(); Queue<String> q = ns.queue("claims", Codecs.utf8())) {
            ChildProcess claimer = children.start(Claimer.class, root.childArgs(NS, "record"));
            claimer.awaitLine("CLAIMED"::equals, Children.JOIN);
            q.put("after");
            assertEquals(2, q.size());
            assertEquals(null, q.poll(Duration.ofMillis(150)), "a live claimer's record is waited for, never skipped");
            claimer.kill();
            assertEquals("after", q.poll(Duration.ofSeconds(10)));
            assertEquals(1, q.ring.skippedTotal());
        }
    }

    @Test
    void shouldTimeOutOnAStoppedLockHolderAndTakeTheLockOnceItIsKilled() throws Exception {
        try (Children children = new Children(); Queue<String> q = ns.queue("claims", Codecs.utf8())) {
            ChildProcess claimer = children.start(Claimer.class, root.childArgs(NS, "lock"));
            claimer.awaitLine("CLAIMED"::equals, Children.JOIN);
            assertFalse(q.offer("x", Duration.ofMillis(150)), "a timed put must not wait past its timeout");
            assertFalse(q.offer("x"));
            claimer.kill();
            assertTrue(q.offer("y", Duration.ofSeconds(10)));
            assertEquals("y", q.get());
        }
    }

    /** Child: a worker that gets tasks and marks them done until shutdown. */
    public static final class Worker {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args);
                    JoinableQueue<Integer> q = ns.joinableQueue("jobs", Codecs.int32(), QueueCapacity.messages(16));
                    Ledger ledger = new Ledger(ns)) {
                try {
                    while (true) {
                        int job = q.get();
                        ledger.delivered(Ledger.message(0, job, 8));
                        q.taskDone();
                    }
                } catch (QueueShutdownException expected) {
                    System.out.println("SHUTDOWN");
                }
            }
        }
    }

    @Test
    void shouldJoinWhenWorkersInOtherProcessesFinishEveryTask() throws Exception {
        try (Children children = new Children(); Ledger ledger = new Ledger(ns);
                JoinableQueue<Integer> q = ns.joinableQueue("jobs", Codecs.int32(), QueueCapacity.messages(16))) {
            children.start(Worker.class, root.childArgs(NS));
            children.start(Worker.class, root.childArgs(NS));
            for (int i = 0; i < 2000; i++) {
                q.put(i);
            }
            assertTrue(q.join(Duration.ofSeconds(30)), "join timed out with " + q.unfinishedTasks() + " unfinished");
            assertEquals(0, q.unfinishedTasks());
            assertEquals(2000, ledger.delivered(), "join returned before every task was done");
            q.shutdown();
            children.joinAllSuccessfully();
        }
    }
}
