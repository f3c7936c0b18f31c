package dev.procsync.bench.harness;

import dev.procsync.process.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts peer JVMs for a workload and joins them, failing loudly with their output. */
public final class Peers implements AutoCloseable {
    /**
     * Agrona 2 reaches {@code jdk.internal.misc.Unsafe}; its users open it with this flag, and so
     * do the harness JVM (run.sh, the surefire argLine) and every peer.
     */
    public static final String AGRONA_EXPORTS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    private final List<ChildProcess> children = new ArrayList<>();

    public ChildProcess start(Workload workload, Path root, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = workload.name();
        all[1] = root.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        ChildProcess.Builder builder = ChildProcess.builder(PeerMain.class).captureOutput()
                .jvmArgs("-Xmx256m", "-XX:+UseSerialGC", AGRONA_EXPORTS);
        // For profiling a peer, e.g. -XX:StartFlightRecording=filename=/tmp/peer-%p.jfr (not used by run.sh).
        String extra = System.getenv("PROCSYNC_BENCH_PEER_JVM_ARGS");
        if (extra != null && !extra.isBlank()) {
            builder.jvmArgs(extra.trim().split("\\s+"));
        }
        ChildProcess child = builder.args(all).start();
        children.add(child);
        return child;
    }

    public void joinAll() throws InterruptedException {
        for (ChildProcess child : children) {
            int code = child.joinExitCode(Duration.ofMinutes(3));
            if (code != 0) {
                throw new IllegalStateException(child + " exited " + code + ":\n" + child.output());
            }
        }
    }

    @Override
    public void close() {
        children.forEach(ChildProcess::close);
    }
}
