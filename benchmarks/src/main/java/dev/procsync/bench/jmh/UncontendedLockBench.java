package dev.procsync.bench.jmh;

import dev.procsync.layout.HeaderLayout;
import dev.procsync.bench.BenchNamespace;
import dev.procsync.sync.Lock;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import org.jspecify.annotations.Nullable;

/**
 * Uncontended acquire+release pair, one thread: procsync's cross-process Lock next to the
 * in-process reference (ReentrantLock) and the JDK's only cross-process lock, FileChannel.lock
 * (an fcntl record lock: two syscalls per pair). The {@code part_*} methods take the Lock's path
 * apart on a word of the same kind of mapping: the two atomic instructions alone, plus the
 * owner-identity store, then through Segment's checked accessors, and ReentrantLock's own pair of
 * instructions (a CAS and a volatile store) for reference.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx256m")
public class UncontendedLockBench {
    public static final String WORKLOAD = "lock-uncontended";
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final int WORD = HeaderLayout.LENGTH;
    private static final VarHandle HOLDER_REF;
    private static final VarHandle HOLDER_ID;

    static {
        try {
            HOLDER_REF = MethodHandles.lookup().findVarHandle(UncontendedLockBench.class, "holderRef", Thread.class);
            HOLDER_ID = MethodHandles.lookup().findVarHandle(UncontendedLockBench.class, "holderId", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private BenchNamespace bench;
    private Lock lock;
    private final ReentrantLock reentrantLock = new ReentrantLock();
    private FileChannel channel;
    private Segment raw;
    private ByteBuffer word;
    private final int pid = (int) ProcessHandle.current().pid();
    private final long startTime = System.nanoTime();
    private @Nullable Thread holderRef;
    private long holderId;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        bench = BenchNamespace.create("jmh-lock");
        lock = bench.namespace().lock("lock");
        raw = bench.namespace().createOrOpen("raw", SegmentSpec.of(SegmentKind.VALUE, 64), s -> { });
        word = raw.buffer();
        channel = FileChannel.open(bench.root().resolve("filelock"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.close();
        raw.close();
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

    /** The two atomics a futex lock with a sleepers bit needs: CAS 0 -> pid, getAndSet 0 (sees SLEEPERS). */
    @Benchmark
    public boolean part_casXchg() {
        boolean taken = (boolean) INT.compareAndSet(word, WORD, 0, pid);
        return taken & (int) INT.getAndSet(word, WORD, 0) != 0;
    }

    /** The same plus the owner's start time, stored right after the CAS (what OwnerWatch reads). */
    @Benchmark
    public boolean part_casOwnerXchg() {
        boolean taken = (boolean) INT.compareAndSet(word, WORD, 0, pid);
        LONG.setRelease(word, WORD + 8, startTime);
        return taken & (int) INT.getAndSet(word, WORD, 0) != 0;
    }

    /** The same three accesses, and the Lock's owner-died read, through Segment's checked accessors. */
    @Benchmark
    public boolean part_segment() {
        boolean taken = raw.compareAndSetInt(WORD, 0, pid);
        raw.setLongRelease(WORD + 8, startTime);
        return taken & raw.getInt(WORD + 4) == 0 & raw.getAndSetInt(WORD, 0) != 0;
    }

    /**
     * {@link #part_segment()} plus the holder thread kept in a heap field (set after the CAS,
     * cleared before the exchange): a reference store into an old object costs G1's post-write
     * barrier, whose StoreLoad fence is one more full fence per pair.
     */
    @Benchmark
    public boolean part_segmentThreadRef() {
        boolean taken = raw.compareAndSetInt(WORD, 0, pid);
        raw.setLongRelease(WORD + 8, startTime);
        HOLDER_REF.setOpaque(this, Thread.currentThread());
        boolean died = raw.getInt(WORD + 4) == 0;
        HOLDER_REF.setOpaque(this, (Thread) null);
        return taken & died & raw.getAndSetInt(WORD, 0) != 0;
    }

    /** The same with the holder kept as its thread id, a long field: no GC barrier. */
    @Benchmark
    public boolean part_segmentThreadId() {
        boolean taken = raw.compareAndSetInt(WORD, 0, pid);
        raw.setLongRelease(WORD + 8, startTime);
        HOLDER_ID.setOpaque(this, Thread.currentThread().getId());
        boolean died = raw.getInt(WORD + 4) == 0;
        HOLDER_ID.setOpaque(this, 0L);
        return taken & died & raw.getAndSetInt(WORD, 0) != 0;
    }

    /** ReentrantLock's instructions: a CAS, then a volatile store (which cannot see a sleeper). */
    @Benchmark
    public boolean part_casVolatileStore() {
        boolean taken = (boolean) INT.compareAndSet(word, WORD, 0, pid);
        INT.setVolatile(word, WORD, 0);
        return taken;
    }
}
