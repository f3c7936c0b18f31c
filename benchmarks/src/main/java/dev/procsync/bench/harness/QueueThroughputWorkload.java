package dev.procsync.bench.harness;

import dev.procsync.Namespace;
import dev.procsync.bench.BenchNamespace;
import dev.procsync.codec.Codecs;
import dev.procsync.channel.Queue;
import dev.procsync.channel.QueueCapacity;
import dev.procsync.data.SharedLong;
import dev.procsync.reactive.QueueBound;
import dev.procsync.reactive.ReactiveQueue;
import dev.procsync.reactive.shm.ShmReactiveProcsync;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Producers and consumers in separate processes moving fixed-size byte messages through one
 * Queue. Every message carries its producer and sequence number, and each consumer checks
 * per-producer order; the total received is checked exactly. Each producer first puts a warm-up
 * share (JIT compilation of both sides would otherwise fill a good part of the window);
 * throughput runs from the first producer's end of warm-up to the last data message received,
 * counting only the measured messages.
 *
 * <p>The {@link Mode} says how the queue is sized and used: {@link Mode#DEFAULT} is what a user
 * gets from the public API without tuning and is the table's baseline row; the others are
 * variants of the same table.
 */
final class QueueThroughputWorkload implements Workload {
    private static final int TUNED_CAPACITY = 1 << 22;

    private static final int BATCH = 64;

    /** How the queue is sized and which calls move the messages. */
    enum Mode {
        /** {@code QueueCapacity.defaults()}, {@code put(byte[])}/{@code get()} with {@code Codecs.bytes()}. */
        DEFAULT("", null),
        /** {@code QueueCapacity.defaults()}, {@code putBytes}/{@code getBytes} on direct buffers (no codec). */
        DEFAULT_BYTES("-bytes", "default, putBytes/getBytes"),
        /** A 4 MiB ring, {@code putBytes}/{@code getBytes} on direct buffers. */
        TUNED("-tuned", "4 MiB, putBytes/getBytes"),
        /** A 4 MiB ring, {@code putAll} of 64 messages and {@code drainTo}. */
        BATCHED("-batched", "4 MiB, putAll/drainTo"),
        /**
         * {@code QueueCapacity.defaults()}; the producer as {@link #DEFAULT}, the consumer through
         * the reactive {@code ReactiveQueue.receive()} (unbounded demand, default scheduler).
         */
        RECEIVE("-receive", "default, reactive receive()");

        final String suffix;
        final @Nullable String variant;

        Mode(String suffix, @Nullable String variant) {
            this.suffix = suffix;
            this.variant = variant;
        }
    }

    private final int producers;
    private final int consumers;
    private final int size;
    private final Mode mode;

    QueueThroughputWorkload(int producers, int consumers, int size, Mode mode) {
        this.producers = producers;
        this.consumers = consumers;
        this.size = size;
        this.mode = mode;
    }

    private String table() {
        return "queue-" + producers + "to" + consumers + "-" + size;
    }

    @Override
    public String name() {
        return table() + mode.suffix;
    }

    private Queue<byte[]> queue(Namespace ns) {
        return ns.queue("q", Codecs.bytes(), mode == Mode.DEFAULT || mode == Mode.DEFAULT_BYTES || mode == Mode.RECEIVE
                ? QueueCapacity.defaults() : QueueCapacity.bytes(TUNED_CAPACITY));
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
            Result r = new Result("procsync", table());
            if (mode.variant != null) {
                r.put("variant", mode.variant);
            }
            return List.of(r.put("msgs_per_s", total / seconds)
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
                if (mode == Mode.BATCHED) {
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
                } else if (mode == Mode.DEFAULT || mode == Mode.RECEIVE) {
                    // The codec does not keep the array (put copies it into the ring), so one will do.
                    byte[] message = new byte[size];
                    ByteBuffer view = ByteBuffer.wrap(message);
                    for (long seq = 0; seq < n; seq++) {
                        if (seq == warm) {
                            gate.restart(id);
                        }
                        view.putLong(0, (producer << 40) | seq);
                        q.put(message);
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
            } else if (mode == Mode.RECEIVE) {
                received.getAndAdd(receive(ns, gate, id, Integer.parseInt(args[2])));
            } else {
                long[] next = new long[Integer.parseInt(args[2])];
                long count = 0;
                long lastData = gate.arriveAndAwait(id);
                java.util.ArrayDeque<byte[]> drained = new java.util.ArrayDeque<>();
                while (true) {
                    long tag;
                    if (mode == Mode.BATCHED) {
                        if (drained.isEmpty() && q.drainTo(drained, 4 * BATCH) == 0) {
                            drained.add(q.get());
                        }
                        tag = java.nio.ByteBuffer.wrap(drained.poll()).getLong(0);
                    } else if (mode == Mode.DEFAULT || mode == Mode.RECEIVE) {
                        tag = ByteBuffer.wrap(q.get()).getLong(0);
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

    /** The consumer of {@link Mode#RECEIVE}: the same checks, through one reactive {@code receive()}. */
    private static long receive(Namespace ns, StartGate gate, int id, int producers) {
        long[] next = new long[producers];
        long[] countAndLast = new long[2];
        countAndLast[1] = gate.arriveAndAwait(id);
        try (ReactiveQueue<byte[]> rq = ShmReactiveProcsync.of(ns).queue("q", Codecs.bytes(), QueueBound.defaults())) {
            rq.receive().map(m -> ByteBuffer.wrap(m).getLong(0)).takeWhile(tag -> tag != -1).doOnNext(tag -> {
                int producer = (int) (tag >>> 40);
                long seq = tag & ((1L << 40) - 1);
                if (seq < next[producer]) {
                    throw new IllegalStateException("producer " + producer + " out of order: " + seq
                            + " after " + next[producer]);
                }
                next[producer] = seq + 1;
                if ((++countAndLast[0] & 63) == 0) {
                    countAndLast[1] = System.nanoTime(); // a clock read per 64 messages, not per message
                }
            }).then().block();
        }
        gate.finish(id, countAndLast[1]);
        return countAndLast[0];
    }
}
