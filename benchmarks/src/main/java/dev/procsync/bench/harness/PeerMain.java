package dev.procsync.bench.harness;

import java.nio.file.Path;
import java.util.Arrays;

/** Entry point of every peer JVM: {@code PeerMain <workload> <root> args...}. */
public final class PeerMain {
    private PeerMain() {
    }

    public static void main(String[] args) throws Exception {
        Workload workload = Workloads.byName(args[0]);
        workload.peer(Path.of(args[1]), Arrays.copyOfRange(args, 2, args.length));
    }
}
