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
}
