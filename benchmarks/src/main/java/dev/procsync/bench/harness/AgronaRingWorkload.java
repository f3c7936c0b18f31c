package dev.procsync.bench.harness;

import dev.procsync.Namespace;
import dev.procsync.bench.BenchNamespace;
import dev.procsync.data.SharedLong;
import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The Java peer a user would pick for fast IPC: one of Agrona's ring buffers over a mapped file
 * (1 MiB ring), one producer process and one consumer process, 64-byte messages, measured exactly
 * like the procsync queue (same gate, same warm-up share, same order check, same window). The
 * producer spins while the ring is full and the consumer while it is empty ({@code read} hands
 * it every record available, then moves the head once): Agrona neither blocks nor recovers from
 * a dead producer, so this is the cost of the data path alone.
 */
final class AgronaRingWorkload implements Workload {
    private static final int CAPACITY = 1 << 20;
    private static final int SIZE = 64;
    private static final int MSG_TYPE = 1;

    private final boolean manyToOne;

    AgronaRingWorkload(boolean manyToOne) {
        this.manyToOne = manyToOne;
    }

    @Override
    public String name() {
        return "agrona-" + (manyToOne ? "m2o" : "o2o") + "-1to1-64";
    }

    private String impl() {
        return "agrona (" + (manyToOne ? "ManyToOneRingBuffer" : "OneToOneRingBuffer") + ", 1 MiB)";
    }

    private static File file(Path root) {
        return root.resolve("agrona-ring").toFile();
    }

    private RingBuffer ring(MappedByteBuffer mapped) {
        UnsafeBuffer buffer = new UnsafeBuffer(mapped);
        return manyToOne ? new ManyToOneRingBuffer(buffer) : new OneToOneRingBuffer(buffer);
    }

    @Override
    public List<Result> run(Path root, boolean quick) throws Exception {
        long total = quick ? 200_000 : 5_000_000;
        long warmUp = total * 2 / 5;
        MappedByteBuffer mapped = IoUtil.mapNewFile(file(root), CAPACITY + RingBufferDescriptor.TRAILER_LENGTH);
        try (Namespace ns = BenchNamespace.open(root, "bench"); StartGate gate = StartGate.open(ns);
                SharedLong received = ns.sharedLong("received"); Peers consumer = new Peers();
                Peers producer = new Peers()) {
            RingBuffer ring = ring(mapped);
            consumer.start(this, root, "consume", "0");
            producer.start(this, root, "produce", "1", Long.toString(warmUp + total), Long.toString(warmUp));
            gate.open(2);
            producer.joinAll();
            UnsafeBuffer stop = new UnsafeBuffer(new byte[SIZE]);
            stop.putLong(0, -1);
            while (!ring.write(MSG_TYPE, stop, 0, SIZE)) {
                Thread.onSpinWait();
            }
            consumer.joinAll();
            long expected = total + warmUp;
            if (received.get() != expected) {
                throw new IllegalStateException(name() + ": received " + received.get() + " of " + expected);
            }
            double seconds = gate.span(2, 1) / 1e9; // the producer's end of warm-up opens the window
            return List.of(new Result(impl(), "queue-1to1-64").put("msgs_per_s", total / seconds)
                    .put("gb_per_s", total * (double) SIZE / seconds / 1e9).put("size", SIZE).put("total", total));
        } finally {
            IoUtil.unmap(mapped);
        }
    }

    @Override
    public void peer(Path root, String[] args) throws Exception {
        int id = Integer.parseInt(args[1]);
        MappedByteBuffer mapped = IoUtil.mapExistingFile(file(root), "agrona ring");
        try (Namespace ns = BenchNamespace.open(root, "bench"); StartGate gate = StartGate.open(ns);
                SharedLong received = ns.sharedLong("received")) {
            RingBuffer ring = ring(mapped);
            if ("produce".equals(args[0])) {
                long n = Long.parseLong(args[2]);
                long warm = Long.parseLong(args[3]);
                UnsafeBuffer message = new UnsafeBuffer(new byte[SIZE]);
                gate.arriveAndAwait(id);
                for (long seq = 0; seq < n; seq++) {
                    if (seq == warm) {
                        gate.restart(id);
                    }
                    message.putLong(0, seq);
                    while (!ring.write(MSG_TYPE, message, 0, SIZE)) {
                        Thread.onSpinWait();
                    }
                }
                gate.finish(id);
            } else {
                Consumer c = new Consumer();
                c.lastData = gate.arriveAndAwait(id);
                while (!c.stopped) {
                    if (ring.read(c) == 0) {
                        Thread.onSpinWait();
                    }
                }
                received.getAndAdd(c.count);
                gate.finish(id, c.lastData);
            }
        } finally {
            IoUtil.unmap(mapped);
        }
    }

    /** Checks order and counts, as the procsync consumer does (a clock read per 64 messages). */
    private static final class Consumer implements org.agrona.concurrent.MessageHandler {
        long next;
        long count;
        long lastData;
        boolean stopped;

        @Override
        public void onMessage(int type, org.agrona.MutableDirectBuffer buffer, int index, int length) {
            long seq = buffer.getLong(index);
            if (seq == -1) {
                stopped = true;
                return;
            }
            if (seq < next || length != SIZE) {
                throw new IllegalStateException("out of order: " + seq + " after " + next);
            }
            next = seq + 1;
            if ((++count & 63) == 0) {
                lastData = System.nanoTime();
            }
        }
    }
}
