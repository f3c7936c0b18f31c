package dev.procsync.bench.harness;

import java.util.List;

/** Every cross-process workload the harness knows, by name. */
public final class Workloads {
    private static final List<Workload> ALL = List.of(new CounterLockWorkload(),
            new PingPongs.EventPingPong(), new PingPongs.SemaphorePingPong(), new PingPongs.ConditionPingPong(),
            new PingPongs.PipePingPong(), new PingPongs.QueuePingPong(),
            new QueueThroughputWorkload(1, 1, 64), new QueueThroughputWorkload(1, 1, 4096),
            new QueueThroughputWorkload(2, 2, 64), new QueueThroughputWorkload(2, 2, 4096),
            new QueueThroughputWorkload(1, 1, 64, true), new QueueThroughputWorkload(1, 1, 4096, true),
            new ArrayWorkload(), new ReactiveWakeupWorkload(), new ReactiveWaitersWorkload());

    private Workloads() {
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
