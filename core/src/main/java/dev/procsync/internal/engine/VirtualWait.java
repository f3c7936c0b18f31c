package dev.procsync.internal.engine;

import dev.procsync.futex.WaitResult;
import dev.procsync.futex.WakeIntent;
import dev.procsync.internal.InternalApi;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * How a virtual thread sleeps on a futex word: it joins the word's {@link WaitingRoom} and parks
 * ({@link LockSupport#park}), which frees its carrier; the {@link Poller} sleeps on the word in the
 * kernel for it and unparks it. A platform thread never comes here: it sleeps in the kernel itself.
 *
 * <p>The result means what a futex wait's does: {@link WaitResult#WOKEN} (chosen by the poller, or
 * woken by a close; look again), {@link WaitResult#VALUE_CHANGED} (the word did not hold the value
 * on entry), {@link WaitResult#TIMED_OUT}, or {@link WaitResult#INTERRUPTED} ({@link
 * Thread#interrupt()} ended the park; the interrupt status stays set for the caller to see).
 */
@InternalApi
public final class VirtualWait {
    private VirtualWait() {
    }

    /**
     * Whether the calling thread is a virtual thread, so that its waits should come here. One call
     * through a constant method handle; {@code false} on Java 17-20.
     *
     * @return whether the current thread is virtual
     */
    public static boolean isCurrentThreadVirtual() {
        return VirtualThreads.isVirtual(Thread.currentThread());
    }

    /**
     * Parks the calling virtual thread while the word at {@code address} holds {@code expected}.
     *
     * <p>{@code leftNanos} is what remains of the caller's whole wait; {@code sliceNanos} is how
     * often a platform thread would come back to re-check (owner liveness, dead peers). A virtual
     * thread is not woken per slice: the poller's sweep unparks the oldest such waiter of the word
     * about once per slice, so a word with ten thousand waiters costs one re-check per sweep, not
     * ten thousand. With {@code sliceNanos >= leftNanos} (or negative) the wait simply lasts at
     * most {@code leftNanos}.
     *
     * @param address    native address of the word
     * @param word       reads the word (acquire); may throw once its mapping is closed
     * @param expected   the value to sleep on
     * @param leftNanos  the longest wait; negative for none
     * @param sliceNanos the caller's re-check period; negative for none
     * @param intent     whom a change wakes (see {@link WakeIntent})
     * @return how the wait ended
     */
    public static WaitResult await(long address, IntSupplier word, int expected, long leftNanos, long sliceNanos,
            WakeIntent intent) {
        Thread me = Thread.currentThread();
        // A futex sleep ignores Java interrupts; a park would return at once and the caller might
        // spin. So a thread interrupted on entry waits as a platform thread would: at most one
        // slice, with its interrupt status restored on the way out.
        boolean interruptedOnEntry = Thread.interrupted();
        long left = leftNanos;
        if (interruptedOnEntry && sliceNanos >= 0 && (left < 0 || sliceNanos < left)) {
            left = sliceNanos;
        }
        boolean sliced = sliceNanos >= 0 && (left < 0 || sliceNanos < left);
        WaitingRoom.Parked p = new WaitingRoom.Parked(me, expected, intent, sliced);
        WaitingRoom room = WaitingRoom.enter(address, word, p);
        try {
            if (word.getAsInt() != expected) {
                return p.leave(room) ? WaitResult.VALUE_CHANGED : WaitResult.WOKEN;
            }
            long deadline = left >= 0 ? System.nanoTime() + left : 0;
            while (p.isWaiting() && !me.isInterrupted()) {
                if (left < 0) {
                    LockSupport.park(room);
                } else {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        break;
                    }
                    LockSupport.parkNanos(room, remaining);
                }
            }
            if (!p.leave(room)) {
                return WaitResult.WOKEN;
            }
            return me.isInterrupted() ? WaitResult.INTERRUPTED : WaitResult.TIMED_OUT;
        } catch (RuntimeException | Error e) {
            p.leave(room);
            throw e;
        } finally {
            if (interruptedOnEntry) {
                me.interrupt();
            }
        }
    }

    /**
     * Unparks every virtual thread of this process waiting on the word at {@code address} (its
     * segment is closing; each will see the close on its next access).
     *
     * @param address native address of the word
     */
    public static void wakeAll(long address) {
        WaitingRoom.wakeAll(address);
    }
}
