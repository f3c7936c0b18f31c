package dev.procsync.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.codec.Codecs;
import dev.procsync.process.ChildProcess;
import dev.procsync.testing.Children;
import dev.procsync.testing.TempRoot;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Queue#asBlockingQueue()} between real processes. */
class BlockingQueueViewCrossProcessTest {
    private final TempRoot root = new TempRoot();
    private final Namespace ns = root.open("xbq");

    @AfterEach
    void cleanUp() {
        ns.close();
        root.close();
    }

    static BlockingQueue<Integer> view(Namespace ns, String name) {
        return ns.queue(name, Codecs.int32(), QueueCapacity.messages(8)).asBlockingQueue();
    }

    /** Child: puts 0..n-1 into "up" with put(), then echoes n messages from "down" back into "up". */
    public static final class Producer {
        public static void main(String[] args) throws Exception {
            try (Namespace ns = TempRoot.openFromArgs(args)) {
                BlockingQueue<Integer> up = view(ns, "up");
                BlockingQueue<Integer> down = view(ns, "down");
                int n = Integer.parseInt(args[2]);
                for (int i = 0; i < n; i++) {
                    up.put(i);
                }
                for (int i = 0; i < n; i++) {
                    Integer m = down.poll(60, TimeUnit.SECONDS);
                    if (m == null) {
                        throw new IllegalStateException("nothing on 'down' within 60 s after " + i);
                    }
                    if (!up.offer(-m, 60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("'up' stayed full for 60 s");
                    }
                }
            }
        }
    }

    @Test
    void shouldCarryMessagesBothWaysThroughTheViews() throws Exception {
        int n = 500; // far more than the capacity of 8: both sides wait for each other
        try (Children children = new Children()) {
            ChildProcess child = children.start(Producer.class, root.childArgs("xbq", "" + n));
            BlockingQueue<Integer> up = view(ns, "up");
            BlockingQueue<Integer> down = view(ns, "down");
            for (int i = 0; i < n; i++) {
                assertEquals(i, up.take(), "FIFO from one producer");
            }
            long sum = 0;
            for (int i = 1; i <= n; i++) {
                down.put(i); // one at a time: the echo goes back before the next
                Integer m = up.poll(60, TimeUnit.SECONDS);
                assertTrue(m != null, () -> "no echo within 60 s; child output:\n" + child.output());
                sum += m;
            }
            assertEquals(-(long) n * (n + 1) / 2, sum);
            children.joinAllSuccessfully();
            assertTrue(up.isEmpty());
        }
    }
}
