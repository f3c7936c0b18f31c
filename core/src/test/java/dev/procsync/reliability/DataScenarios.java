package dev.procsync.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procsync.Namespace;
import dev.procsync.channel.Connection;
import dev.procsync.channel.EndOfPipeException;
import dev.procsync.channel.Pipe;
import dev.procsync.segment.Segment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Campaign scenarios for the data and pipe primitives. */
final class DataScenarios {
    private DataScenarios() {
    }

    /**
     * Pipe: the checker holds end A of a one-way pipe per worker, the worker end B and sends
     * messages 1, 2, 3 ..., recording each whose {@code send} returned. After the worker is killed,
     * the checker must read a gap-free, duplicate-free sequence 1..n with n equal to the recorded
     * count or one more (a kill between send and record), then end-of-pipe, within the bound.
     */
    static final class PipeScenario extends CampaignScenario {
        private final Namespace ns;
        private final Segment board;
        private final Map<Integer, Connection<byte[]>> readers = new HashMap<>();
        private Connection<byte[]> writer;
        private long delivered;
        private long eofs;

        PipeScenario(Namespace ns, Segment board) {
            this.ns = ns;
            this.board = board;
        }

        private static String pipeName(int slot) {
            return "campaign-pipe-" + slot;
        }

        @Override
        String name() {
            return "Pipe";
        }

        @Override
        void beforeStart(int slot) {
            board.setLongRelease(sentOffset(slot), 0);
            readers.put(slot, Pipe.end(ns, pipeName(slot), Pipe.End.A, false));
        }

        @Override
        void workerStart(int slot) {
            writer = Pipe.end(ns, pipeName(slot), Pipe.End.B, false);
        }

        @Override
        void step(int slot, Random random) throws Exception {
            long next = board.getLongAcquire(sentOffset(slot)) + 1;
            byte[] message = new byte[8 + random.nextInt(56)];
            ByteBuffer.wrap(message).putLong(next);
            writer.sendBytes(message);
            board.setLongRelease(sentOffset(slot), next);
        }

        @Override
        void checkAfterKill(int deadPid, int deadSlot, Duration bound) throws Exception {
            Connection<byte[]> reader = readers.remove(deadSlot);
            if (reader == null) {
                return;
            }
            long expected = 1;
            try {
                while (true) {
                    assertTrue(reader.poll(bound), () -> "pipe " + pipeName(deadSlot) + ": no message and no "
                            + "end-of-pipe within " + bound + " after its writer " + deadPid + " was killed");
                    long got = ByteBuffer.wrap(reader.recvBytes()).getLong();
                    assertEquals(expected, got, "pipe " + pipeName(deadSlot) + ": lost or duplicated message");
                    expected++;
                    delivered++;
                }
            } catch (EndOfPipeException e) {
                eofs++;
            }
            long received = expected - 1;
            long recorded = board.getLongAcquire(sentOffset(deadSlot));
            assertTrue(received == recorded || received == recorded + 1, "pipe " + pipeName(deadSlot) + ": received "
                    + received + " messages, the writer's send() returned for " + recorded);
            reader.close();
            ns.unlink(pipeName(deadSlot));
        }

        @Override
        void finalCheck(int kills) {
            assertEquals(kills, eofs, "every killed writer's pipe must end with end-of-pipe");
        }

        @Override
        Map<String, Long> figures() {
            Map<String, Long> f = new LinkedHashMap<>();
            f.put("messagesDelivered", delivered);
            f.put("endOfPipeAfterKill", eofs);
            return f;
        }
    }

    /**
     * Queue (documented guarantee: at most once; every message whose put returned is delivered,
     * except one taken by a consumer killed before it used it; a message whose producer was killed
     * inside put may or may not be delivered). Workers produce ids {@code slot << 12 | seq} and
     * consume, marking each id in a shared bitmap: a bit found already set is a duplicate. After
     * each kill the checker's own put must go through within the bound (a dead producer's claim
     * never wedges the queue). At the end the checker drains the rest and counts, per producer, the
     * returned puts never delivered: at most one per kill in total.
     *
     * <pre>
     *  delivery segment: 128 produced[SLOTS] (puts that returned), then SLOTS bitmaps of 4096 bits
     * </pre>
     */
    static final class QueueScenario extends CampaignScenario {
        static final int SEQ_BITS = 12;
        static final int MAX_SEQ = (1 << SEQ_BITS) - 1;
        static final int PRODUCED = 128;
        static final int BITMAPS = PRODUCED + 8 * SLOTS;
        static final int BITMAP_BYTES = (1 << SEQ_BITS) / 8;

        private final Segment board;
        private final Segment delivery;
        private final dev.procsync.channel.Queue<Long> queue;
        private long probes;
        private long consumedAtEnd;
        private long undelivered;

        QueueScenario(Namespace ns, Segment board) {
            this.board = board;
            this.delivery = ns.createOrOpen("campaign-delivery", dev.procsync.segment.SegmentSpec.of(
                    dev.procsync.segment.SegmentKind.SHARED_MEMORY, BITMAPS + SLOTS * BITMAP_BYTES - 128), x -> { });
            this.queue = ns.queue("campaign-queue", dev.procsync.codec.Codecs.int64());
        }

        @Override
        String name() {
            return "Queue";
        }

        @Override
        int weight() {
            return 2;
        }

        /** Marks an id delivered; returns false if it already was (a duplicate). */
        private boolean mark(long id) {
            int slot = (int) (id >>> SEQ_BITS);
            int seq = (int) (id & MAX_SEQ);
            int word = BITMAPS + slot * BITMAP_BYTES + (seq >>> 5) * 4;
            int bit = 1 << (seq & 31);
            return (delivery.getAndBitwiseOrInt(word, bit) & bit) == 0;
        }

        @Override
        void step(int slot, Random random) throws Exception {
            if (random.nextBoolean()) {
                long seq = delivery.getLongAcquire(PRODUCED + 8 * slot) + 1;
                if (seq <= MAX_SEQ && queue.offer(((long) slot << SEQ_BITS) | seq, Duration.ofMillis(10))) {
                    delivery.setLongRelease(PRODUCED + 8 * slot, seq);
                }
            } else {
                Long id = queue.poll(Duration.ofNanos(1_000L * (1 + random.nextInt(1000))));
                if (id != null && id >= 0 && !mark(id)) {
                    violation(board, "queue delivered " + id + " twice");
                }
            }
        }

        @Override
        void checkAfterKill(int deadPid, int deadSlot, Duration bound) throws Exception {
            assertTrue(queue.offer(-1 - probes, bound), () -> "queue wedged: the checker's put did not go through "
                    + "within " + bound + " after killing " + deadPid + ": " + queue);
            probes++;
        }

        @Override
        void finalCheck(int kills) throws Exception {
            Long id;
            while ((id = queue.poll()) != null) {
                if (id >= 0) {
                    assertTrue(mark(id), "queue delivered " + id + " twice");
                    consumedAtEnd++;
                }
            }
            for (int slot = 0; slot < SLOTS; slot++) {
                long produced = delivery.getLongAcquire(PRODUCED + 8 * slot);
                for (int seq = 1; seq <= produced; seq++) {
                    int word = BITMAPS + slot * BITMAP_BYTES + (seq >>> 5) * 4;
                    if ((delivery.getIntAcquire(word) & (1 << (seq & 31))) == 0) {
                        undelivered++;
                    }
                }
            }
            assertTrue(undelivered <= kills, undelivered + " messages whose put returned were never delivered, after "
                    + kills + " kills (at most one per killed consumer is allowed)");
        }

        @Override
        Map<String, Long> figures() {
            long produced = 0;
            for (int slot = 0; slot < SLOTS; slot++) {
                produced += delivery.getLongAcquire(PRODUCED + 8 * slot);
            }
            Map<String, Long> f = new LinkedHashMap<>();
            f.put("putsReturned", produced);
            f.put("drainedAtEnd", consumedAtEnd);
            f.put("lostWithKilledConsumer", undelivered);
            f.put("checkerPutsAfterKill", probes);
            return f;
        }
    }
}
