package dev.procsync.internal.engine;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.procsync.futex.Futex;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The poller's own futex word, in private native memory of this process: threads that register a
 * new waiter ring it so that the poller, asleep on the words of older waiters, wakes up and
 * looks at the new one.
 *
 * <pre>
 *  word     meaning                                  transitions
 *  count    rings so far (wraps)                     ring(): getAndAdd 1, then FUTEX_WAKE 1 if the poller is parked
 *                                                    poller: reads count, sleeps while it is unchanged
 *  parked   (a Java volatile, not in the word) true while the poller is at or in its sleep
 * </pre>
 *
 * <p>No wake-up is lost: the poller sets {@code parked} and then reads the count it sleeps on; a
 * ringer increments the count and then reads {@code parked}. Both are volatile (sequentially
 * consistent), so either the ringer sees {@code parked} and wakes the word, or the poller's read
 * sees the new count and the futex wait returns at once with EAGAIN.
 */
final class Doorbell {
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final Memory memory = new Memory(64);
    private final ByteBuffer word;
    private final long address;
    private volatile boolean parked;

    Doorbell() {
        memory.clear();
        this.address = Pointer.nativeValue(memory); // malloc alignment (16) satisfies the futex's 4
        this.word = memory.getByteBuffer(0, 4).order(ByteOrder.nativeOrder());
    }

    long address() {
        return address;
    }

    /** Rings: wakes the poller if it sleeps. Never blocks (FUTEX_WAKE only). */
    void ring() {
        INT.getAndAdd(word, 0, 1);
        if (parked) {
            Futex.wake(address, 1);
        }
    }

    /** Poller: marks itself parked and returns the count to sleep on. */
    int park() {
        parked = true;
        return (int) INT.getVolatile(word, 0);
    }

    /** Poller: back from sleep. */
    void unpark() {
        parked = false;
    }
}
