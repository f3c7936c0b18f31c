package dev.procsync.bench.harness;

import dev.procsync.Namespace;
import dev.procsync.bench.BenchNamespace;
import dev.procsync.channel.Codecs;
import dev.procsync.channel.Queue;
import dev.procsync.channel.QueueCapacity;
import dev.procsync.data.SharedLong;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Producers and consumers in separate processes moving fixed-size byte messages through one
 * Queue ({@code putBytes}/{@code getBytes}, no codec). Every message carries its producer and
 * sequence number, and each consumer checks per-producer order; the total received is checked
 * exactly. Each producer first puts a warm-up share (JIT compilation of both sides would
 * otherwise fill a good part of the window); throughput runs from the first producer's end of
 * warm-up to the last data message received, counting only the measured messages.
 */
final class QueueThroughputWorkload implements Workload {
    private static final int CAPACITY = 1 << 22;

    private static final int BATCH = 64;

    private final int producers;
    private final int consumers;
    private final int size;
    private final boolean batched;

    QueueThroughputWorkload(int producers, int consumers, int size) {
        this(producers, consumers, size, false);
    }

    /**
     * A workload.
     *
     * @param batched whether producers use {@code putAll} of 64 messages and consumers
     *                {@code drainTo} (one claim and one head CAS per batch) instead of one
     *                {@code putBytes}/{@code getBytes} per message
     */
    QueueThroughputWorkload(int producers, int consumers, int size, boolean batched) {
        this.producers = producers;
        this.consumers = consumers;
        this.size = size;
        this.batched = batched;
    }

    @Override
    public String name() {
        return "queue-" + producers + "to" + consumers + "-" + size + (batched ? "-batched" : "");
    }

    private static Queue<byte[]> queue(Namespace ns) {
        return ns.queue("q", Codecs.bytes(), QueueCapacity.bytes(CAPACITY));
    }

    @Override
    public List<Result> run(Path root, boolean quick) throws Exception {
        long total = size <= 64 ? (quick ? 200_000 : 5_000_000) : (quick ? 20_000 : 500_000);
        long perProducer = total / producers;
        long warmUp = perProducer * 2 / 5;
        total = perProducer * producers;
        try (Namespace ns = BenchNamespace.open(root, "bench"); StartGate gate = StartGate.open(ns);
                Queue<byte[]> q = queue(ns); SharedLong received = ns.sharedLong("received");
                Peers producerPeers = new Peers(); Peers consumerPeers = new Peers()) {
            int peer = 0;
            for (int c = 0; c < consumers; c++) {
                consumerPeers.start(this, root, "consume", Integer.toString(peer++), Integer.toString(producers));
            }
            for (int p = 0; p < producers; p++) {
                producerPeers.start(this, root, "produce", Integer.toString(peer++), Integer.toString(p),
                        Long.toString(warmUp + perProducer), Long.toString(warmUp));
            }
            gate.open(producers + consumers);
            producerPeers.joinAll();
            ByteBuffer stop = ByteBuffer.allocate(size);
            stop.putLong(0, -1);
            for (int c = 0; c < consumers; c++) {
                q.putBytes(stop.clear());
            }
            consumerPeers.joinAll();
            long expected = total + warmUp * producers;
            if (received.get() != expected) {
                throw new IllegalStateException(name() + ": received " + received.get() + " of " + expected);
            }
            double seconds = gate.span(producers + consumers, consumers) / 1e9; // consumers are peers 0..c-1
            return List.of(new Result("procsync", name()).put("msgs_per_s", total / seconds)
                    .put("gb_per_s", total * (double) size / seconds / 1e9).put("size", size).put("total", total));
        }
    }

    @Override
    public void peer(Path root, String[] args) throws Exception {
        int id = Integer.parseInt(args[1]);
        try (Namespace ns = BenchNamespace.open(root, "bench"); StartGate gate = StartGate.open(ns);
                Queue<byte[]> q = queue(ns); SharedLong received = ns.sharedLong("received")) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(size);
            if ("produce".equals(args[0])) {
                long producer = Long.parseLong(args[2]);
                long n = Long.parseLong(args[3]);
                long warm = Long.parseLong(args[4]);
                gate.arriveAndAwait(id);
                if (batched) {
                    java.util.List<byte[]> batch = new java.util.ArrayList<>(BATCH);
                    for (long seq = 0; seq < n; seq++) {
                        byte[] message = new byte[size];
                        java.nio.ByteBuffer.wrap(message).putLong(0, (producer << 40) | seq);
                        batch.add(message);
                        if (batch.size() == BATCH || seq == n - 1 || seq == warm - 1) {
                            q.putAll(batch);
                            batch.clear();
                        }
                        if (seq == warm - 1) {
                            gate.restart(id);
                        }
                    }
                } else {
                    for (long seq = 0; seq < n; seq++) {
                        if (seq == warm) {
                            gate.restart(id);
                        }
                        buffer.clear();
                        buffer.putLong(0, (producer << 40) | seq);
                        q.putBytes(buffer);
                    }
                }
                gate.finish(id);
            } else {
                long[] next = new long[Integer.parseInt(args[2])];
                long count = 0;
                long lastData = gate.arriveAndAwait(id);
                java.util.ArrayDeque<byte[]> drained = new java.util.ArrayDeque<>();
                while (true) {
                    long tag;
                    if (batched) {
                        if (drained.isEmpty() && q.drainTo(drained, 4 * BATCH) == 0) {
                            drained.add(q.get());
                        }
                        tag = java.nio.ByteBuffer.wrap(drained.poll()).getLong(0);
                    } else {
                        buffer.clear();
                        q.getBytes(buffer);
                        tag = buffer.getLong(0);
                    }
                    if (tag == -1) {
                        break;
                    }
                    int producer = (int) (tag >>> 40);
                    long seq = tag & ((1L << 40) - 1);
                    if (seq < next[producer]) {
                        throw new IllegalStateException("producer " + producer + " out of order: " + seq
                                + " after " + next[producer]);
                    }
                    next[producer] = seq + 1;
                    if ((++count & 63) == 0) {
                        lastData = System.nanoTime(); // a clock read per 64 messages, not per message
                    }
                }
                received.getAndAdd(count);
                gate.finish(id, lastData);
            }
        }
    }
}
