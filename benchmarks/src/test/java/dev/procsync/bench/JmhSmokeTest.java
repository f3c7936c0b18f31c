package dev.procsync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procsync.bench.jmh.UncontendedBench;
import dev.procsync.bench.jmh.UncontendedLockBench;
import org.junit.jupiter.api.Test;

/** Calls each JMH benchmark body a few times outside JMH so a broken setup fails the build. */
class JmhSmokeTest {
    @Test
    void shouldRunUncontendedLockBenchmarkBodies() throws Exception {
        UncontendedLockBench bench = new UncontendedLockBench();
        bench.setUp();
        try {
            for (int i = 0; i < 1000; i++) {
                bench.procsync();
                bench.ReentrantLock();
            }
            bench.FileChannelLock();
        } finally {
            bench.tearDown();
        }
    }

    @Test
    void shouldRunUncontendedBenchmarkBodies() throws Exception {
        UncontendedBench bench = new UncontendedBench();
        bench.setUp();
        try {
            for (int i = 0; i < 1000; i++) {
                bench.procsync_rlock();
                bench.procsync_semaphore();
                bench.procsync_eventSetClear();
                bench.procsync_eventIsSet();
                bench.procsync_valueSet();
                bench.procsync_valueIncrement();
                bench.procsync_valueGet();
                bench.procsync_queuePutGet();
                bench.ArrayBlockingQueue_queuePutGet();
                assertEquals(1, bench.AgronaManyToOne_queuePutGet()); // one message written, one read
                assertEquals(1, bench.AgronaOneToOne_queuePutGet());
            }
        } finally {
            bench.tearDown();
        }
    }
}
