package dev.procsync.channel;

import dev.procsync.Namespace;
import dev.procsync.codec.Codecs;
import dev.procsync.process.ChildProcess;
import dev.procsync.testing.TempRoot;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Ad-hoc throughput check, not a test: one producer process, one consumer process (this one).
 * Run with core/target/classes, core/target/test-classes, JNA and jspecify on the class path;
 * arguments: [size] [count] [batch].
 */
public final class QueueThroughputMain {
    private QueueThroughputMain() {
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        long count = args.length > 1 ? Long.parseLong(args[1]) : 20_000_000L;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        try (TempRoot root = new TempRoot(); Namespace ns = root.open("bench");
                Queue<byte[]> q = ns.queue("q", Codecs.bytes(), QueueCapacity.bytes(4 << 20))) {
            ChildProcess producer = ChildProcess.builder(Producer.class).captureOutput().jvmArgs("-Xmx256m")
                    .args(root.childArgs("bench", Integer.toString(size), Long.toString(count),
                            Integer.toString(batch))).start();
            ByteBuffer dst = ByteBuffer.allocateDirect(size);
            dst.clear();
            q.getBytes(dst);
            long start = System.nanoTime();
            if (batch <= 1) {
                for (long i = 1; i < count; i++) {
                    dst.clear();
                    q.getBytes(dst);
                }
            } else {
                java.util.List<byte[]> sink = new java.util.ArrayList<>();
                for (long i = 1; i < count; ) {
                    sink.clear();
                    int n = q.drainTo(sink, batch);
                    if (n == 0) {
                        dst.clear();
                        q.getBytes(dst);
                        n = 1;
                    }
                    i += n;
                }
            }
            long nanos = System.nanoTime() - start;
            producer.joinExitCode(Duration.ofSeconds(60));
            double perSec = (count - 1) * 1e9 / nanos;
            System.out.printf("size %d batch %d: %.2f M msg/s, %.2f GB/s (%d msgs in %d ms)%n", size, batch,
                    perSec / 1e6, perSec * size / 1e9, count, nanos / 1_000_000);
        }
    }

    public static final class Producer {
        public static void main(String[] args) throws Exception {
            int size = Integer.parseInt(args[2]);
            long count = Long.parseLong(args[3]);
            int batch = Integer.parseInt(args[4]);
            try (Namespace ns = TempRoot.openFromArgs(args);
                    Queue<byte[]> q = ns.queue("q", Codecs.bytes(), QueueCapacity.bytes(4 << 20))) {
                if (batch <= 1) {
                    ByteBuffer src = ByteBuffer.allocateDirect(size);
                    for (long i = 0; i < count; i++) {
                        src.putLong(0, i);
                        q.putBytes(src);
                    }
                } else {
                    java.util.List<byte[]> list = new java.util.ArrayList<>();
                    for (int i = 0; i < batch; i++) {
                        list.add(new byte[size]);
                    }
                    for (long i = 0; i < count; i += batch) {
                        q.putAll(list);
                    }
                }
            }
        }
    }
}
