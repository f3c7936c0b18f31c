package dev.procsync.bench.jmh;

import dev.procsync.bench.BenchNamespace;
import dev.procsync.sync.Lock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Uncontended acquire+release pair, one thread: procsync's cross-process Lock next to the
 * in-process reference (ReentrantLock) and the JDK's only cross-process lock, FileChannel.lock
 * (an fcntl record lock: two syscalls per pair).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx256m")
public class UncontendedLockBench {
    public static final String WORKLOAD = "lock-uncontended";

    private BenchNamespace bench;
    private Lock lock;
    private final ReentrantLock reentrantLock = new ReentrantLock();
    private FileChannel channel;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        bench = BenchNamespace.create("jmh-lock");
        lock = bench.namespace().lock("lock");
        channel = FileChannel.open(bench.root().resolve("filelock"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.close();
        lock.close();
        bench.close();
    }

    @Benchmark
    public void procsync() throws InterruptedException {
        lock.acquire();
        lock.release();
    }

    @Benchmark
    public void ReentrantLock() {
        reentrantLock.lock();
        reentrantLock.unlock();
    }

    @Benchmark
    public void FileChannelLock() throws IOException {
        FileLock held = channel.lock();
        held.release();
    }
}
