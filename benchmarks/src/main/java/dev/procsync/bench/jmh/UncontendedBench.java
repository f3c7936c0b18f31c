package dev.procsync.bench.jmh;

import dev.procsync.bench.BenchNamespace;
import dev.procsync.bench.harness.Peers;
import dev.procsync.codec.Codecs;
import dev.procsync.channel.Queue;
import dev.procsync.channel.QueueCapacity;
import dev.procsync.data.SharedLong;
import dev.procsync.sync.Event;
import dev.procsync.sync.RLock;
import dev.procsync.sync.Semaphore;
import dev.procsync.sync.SemaphoreOptions;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
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
 * The other uncontended hot paths, one thread, each beside its in-process j.u.c reference:
 * RLock vs ReentrantLock, Semaphore (plain and undo-on-death) vs j.u.c Semaphore, Event vs
 * AtomicBoolean, SharedLong vs AtomicLong, Queue put+get of 64 bytes vs ArrayBlockingQueue and
 * Agrona's two IPC ring buffers over a direct buffer of the same size (one thread: the
 * instructions of each data path, apart from the cache-line transfers that two processes add).
 * Method names are {@code impl_variant} (see {@link JmhRunner}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m", Peers.AGRONA_EXPORTS})
public class UncontendedBench {
    public static final String WORKLOAD = "uncontended";

    private BenchNamespace bench;
    private RLock rlock;
    private Semaphore semaphore;
    private Event event;
    private SharedLong value;
    private Queue<byte[]> queue;
    private final ByteBuffer message = ByteBuffer.allocateDirect(64);
    private final ByteBuffer received = ByteBuffer.allocateDirect(64);
    private final ReentrantLock reentrantLock = new ReentrantLock();
    private final java.util.concurrent.Semaphore jucSemaphore = new java.util.concurrent.Semaphore(1);
    private final AtomicBoolean flag = new AtomicBoolean();
    private final AtomicLong atomicLong = new AtomicLong();
    private final ArrayBlockingQueue<byte[]> abq = new ArrayBlockingQueue<>(1024);
    private final byte[] payload = new byte[64];
    private final RingBuffer manyToOne = new ManyToOneRingBuffer(ring());
    private final RingBuffer oneToOne = new OneToOneRingBuffer(ring());
    private final UnsafeBuffer agronaMessage = new UnsafeBuffer(new byte[64]);
    private final MessageHandler agronaHandler = (type, buffer, index, length) -> agronaRead = buffer.getLong(index);
    private long agronaRead;

    @Setup(Level.Trial)
    public void setUp() {
        bench = BenchNamespace.create("jmh");
        rlock = bench.namespace().rlock("rlock");
        semaphore = bench.namespace().semaphore("sem", 1);
        event = bench.namespace().event("event");
        value = bench.namespace().sharedLong("value");
        queue = bench.namespace().queue("queue", Codecs.bytes(), QueueCapacity.bytes(1 << 20));
    }

    private static UnsafeBuffer ring() {
        return new UnsafeBuffer(ByteBuffer.allocateDirect((1 << 20) + RingBufferDescriptor.TRAILER_LENGTH));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bench.close();
    }

    @Benchmark
    public void procsync_rlock() throws InterruptedException {
        rlock.acquire();
        rlock.release();
    }

    @Benchmark
    public void ReentrantLock_rlock() {
        reentrantLock.lock();
        reentrantLock.unlock();
    }

    @Benchmark
    public void procsync_semaphore() throws InterruptedException {
        semaphore.acquire();
        semaphore.release();
    }

    /**
     * The same pair on a semaphore in the undo-on-death mode (book, journal and ledger slot on every
     * change). Its own state, so the plain benchmarks' forks never load the undo classes.
     */
    @Benchmark
    public void procsyncUndo_semaphore(UndoState undo) throws InterruptedException {
        undo.semaphore.acquire();
        undo.semaphore.release();
    }

    /** An undo-on-death semaphore, set up only for the benchmark that uses it. */
    @State(Scope.Thread)
    public static class UndoState {
        BenchNamespace bench;
        Semaphore semaphore;

        @Setup(Level.Trial)
        public void setUp() {
            bench = BenchNamespace.create("jmhundo");
            semaphore = bench.namespace().semaphore("sem", 1, SemaphoreOptions.undoOnDeath());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            bench.close();
        }
    }

    @Benchmark
    public void Semaphore_semaphore() throws InterruptedException {
        jucSemaphore.acquire();
        jucSemaphore.release();
    }

    @Benchmark
    public boolean procsync_eventIsSet() {
        return event.isSet();
    }

    @Benchmark
    public boolean AtomicBoolean_eventIsSet() {
        return flag.get();
    }

    @Benchmark
    public void procsync_eventSetClear() {
        event.set();
        event.clear();
    }

    @Benchmark
    public void AtomicBoolean_eventSetClear() {
        flag.set(true);
        flag.set(false);
    }

    @Benchmark
    public long procsync_valueGet() {
        return value.get();
    }

    @Benchmark
    public long AtomicLong_valueGet() {
        return atomicLong.get();
    }

    @Benchmark
    public void procsync_valueSet() {
        value.set(42);
    }

    @Benchmark
    public void AtomicLong_valueSet() {
        atomicLong.set(42);
    }

    @Benchmark
    public long procsync_valueIncrement() {
        return value.incrementAndGet();
    }

    @Benchmark
    public long AtomicLong_valueIncrement() {
        return atomicLong.incrementAndGet();
    }

    @Benchmark
    public int procsync_queuePutGet() throws InterruptedException {
        queue.putBytes(message.clear());
        return queue.getBytes(received.clear());
    }

    @Benchmark
    public byte[] ArrayBlockingQueue_queuePutGet() throws InterruptedException {
        abq.put(payload);
        return abq.take();
    }

    @Benchmark
    public int AgronaManyToOne_queuePutGet() {
        manyToOne.write(1, agronaMessage, 0, 64);
        return manyToOne.read(agronaHandler, 1); // 1: the message, its first long kept in agronaRead
    }

    @Benchmark
    public int AgronaOneToOne_queuePutGet() {
        oneToOne.write(1, agronaMessage, 0, 64);
        return oneToOne.read(agronaHandler, 1); // 1: the message, its first long kept in agronaRead
    }
}
