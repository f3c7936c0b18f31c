package dev.procsync.bench.harness;

import dev.procsync.bench.harness.QueueThroughputWorkload.Mode;
import java.util.List;

/** Every cross-process workload the harness knows, by name. */
public final class Workloads {
    private static final List<Workload> ALL = List.of(new CounterLockWorkload(),
            new PingPongs.EventPingPong(), new PingPongs.SemaphorePingPong(), new PingPongs.ConditionPingPong(),
            new PingPongs.PipePingPong(), new PingPongs.QueuePingPong(),
            queue(1, 1, 64, Mode.DEFAULT), queue(1, 1, 64, Mode.DEFAULT_BYTES), queue(1, 1, 64, Mode.TUNED),
            queue(1, 1, 64, Mode.BATCHED), queue(1, 1, 64, Mode.RECEIVE), new AgronaRingWorkload(true),
            new AgronaRingWorkload(false),
            queue(1, 1, 4096, Mode.DEFAULT), queue(1, 1, 4096, Mode.TUNED), queue(1, 1, 4096, Mode.BATCHED),
            queue(2, 2, 64, Mode.DEFAULT), queue(2, 2, 64, Mode.TUNED),
            queue(2, 2, 4096, Mode.DEFAULT), queue(2, 2, 4096, Mode.TUNED),
            new ArrayWorkload(), new ReactiveWakeupWorkload(), new ReactivePingPongWorkload(false),
            new ReactivePingPongWorkload(true), new ReactiveWaitersWorkload(), new VirtualThreadLockWorkload(),
            new ReactiveBackendsWorkload());

    private Workloads() {
    }

    private static Workload queue(int producers, int consumers, int size, Mode mode) {
        return new QueueThroughputWorkload(producers, consumers, size, mode);
    }

    public static List<Workload> all() {
        return ALL;
    }

    public static Workload byName(String name) {
        for (Workload w : ALL) {
            if (w.name().equals(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + name + "'; known: "
                + ALL.stream().map(Workload::name).toList());
    }
}
