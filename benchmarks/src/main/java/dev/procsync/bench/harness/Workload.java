package dev.procsync.bench.harness;

import java.nio.file.Path;
import java.util.List;

/**
 * One cross-process measurement: the coordinator side runs in the harness JVM and starts its
 * peers (child JVMs running {@link PeerMain} with this workload's name); the peer side runs there.
 */
public interface Workload {
    /** The workload's name, shared with the C and Python peers where they measure the same thing. */
    String name();

    /**
     * Runs the measurement once.
     *
     * @param root  a fresh namespace root for this run
     * @param quick whether to use the short smoke-test sizes
     * @return the figures
     */
    List<Result> run(Path root, boolean quick) throws Exception;

    /**
     * The peer side, run in a child JVM.
     *
     * @param root the namespace root
     * @param args workload-specific arguments
     */
    void peer(Path root, String[] args) throws Exception;
}
