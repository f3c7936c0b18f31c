package dev.procsync.internal.engine;

import dev.procsync.futex.WakeIntent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The virtual threads of this process parked on one futex word: one {@link EngineWaiter} per word,
 * so that the {@link Poller} sleeps on the word once however many virtual threads wait on it.
 *
 * <pre>
 *  Parked.state  meaning                                transitions (by whom)
 *  WAITING       in the room, parked or about to park   -> WOKEN  the poller chose it (then unparks it)
 *                                                       -> LEFT   its own thread: timeout, interrupt, entry check
 *  WOKEN         terminal: the wait returns WOKEN
 *  LEFT          terminal: the wait returns VALUE_CHANGED, TIMED_OUT or INTERRUPTED
 * </pre>
 */
final class WaitingRoom extends EngineWaiter {
    /*
     * Algorithm
     *
     * The kernel wakes a sleeper of a word only for a FUTEX_WAKE; the value is compared once, on
     * entry. The poller is one kernel sleeper standing for every parked thread of the room, so it
     * sees a wake (futex_waitv names the woken word: kicked()) but not how many were asked for,
     * and it misses wakes that arrive while it is out of the kernel. The room makes up for both:
     *
     *  - latest is the value the poller sleeps on: the expected value of the newest registrant, or
     *    the value the poller read at its last round. A registrant whose expected value differs
     *    from latest rings the doorbell, so the poller re-arms before that thread's wait can be
     *    missed. A registrant re-reads the word after joining (the kernel's entry check): changed,
     *    it leaves at once with VALUE_CHANGED.
     *  - Every round, attempt() reads the word. An event is a kick, or a value different from
     *    latest (a change, with or without a wake, while the poller was out of the kernel). On an
     *    event: every WakeIntent.ALL waiter is unparked, and ONE WakeIntent.ONE waiter, the oldest.
     *    A ONE waiter that takes the resource changes the word (a lock's owner, a permit count),
     *    which is the next event: the turn passes on one thread at a time, with no herd, and a
     *    release(n) of n permits unparks n waiters in n rounds.
     *  - What can still be missed is an ABA while the poller is out of the kernel (the word left
     *    latest and came back). The word then holds the value the waiters sleep on, so whoever
     *    changes it next wakes them; and the sweep bounds the rest: every SWEEP_NANOS the oldest
     *    waiter that asked for periodic re-checks (a sliced wait, see VirtualWait) is unparked to
     *    re-check its primitive, which is also how a virtual thread runs the owner-liveness check
     *    a platform thread runs once per slice. The swept thread re-enters at the front, so the
     *    same thread keeps the per-waiter liveness state (OwnerWatch's grace) between sweeps.
     *  - Leaving (timeout, interrupt) is one CAS; the node is unlinked lazily (heads as they are
     *    met, the rest at the sweep). A thread chosen (WOKEN) whose timeout fires at the same time
     *    returns WOKEN, so the turn it was given is never dropped.
     *  - An empty room retires under its monitor, and leaves the registry; a registrant that finds
     *    it retired takes a fresh one. A read that throws (the segment closed) fails the room:
     *    everyone is unparked and sees the closed segment.
     */

    /** The rooms of this process, by word address. */
    private static final ConcurrentHashMap<Long, WaitingRoom> ROOMS = new ConcurrentHashMap<>();

    private static final VarHandle LATEST;

    static {
        try {
            LATEST = MethodHandles.lookup().findVarHandle(WaitingRoom.class, "latest", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long address;
    private final IntSupplier word;
    private final WakeIntent intent;
    private final ConcurrentLinkedDeque<Parked> parked = new ConcurrentLinkedDeque<>();
    private final AtomicInteger leftEarly = new AtomicInteger();
    private volatile int latest;
    private volatile boolean mixed;
    private volatile boolean retired;
    private volatile @Nullable Thread swept;
    private boolean registered; // guarded by this
    private boolean kicked; // poller thread only

    private WaitingRoom(long address, IntSupplier word, int expected, WakeIntent intent) {
        this.address = address;
        this.word = word;
        this.latest = expected;
        this.intent = intent;
    }

    /**
     * Joins the room of {@code address} (creating and registering it with the poller if needed).
     *
     * @return the room joined
     */
    static WaitingRoom enter(long address, IntSupplier word, Parked p) {
        while (true) {
            WaitingRoom room = ROOMS.computeIfAbsent(address, a -> new WaitingRoom(a, word, p.expected, p.intent));
            boolean register;
            synchronized (room) {
                if (room.retired) {
                    continue; // retired between the lookup and here; it left the registry, so the next lookup makes one
                }
                if (room.swept == p.thread) {
                    room.swept = null;
                    room.parked.addFirst(p);
                } else {
                    room.parked.addLast(p);
                }
                if (p.intent != room.intent) {
                    room.mixed = true;
                }
                register = !room.registered;
                room.registered = true;
            }
            int before = (int) LATEST.getAndSet(room, p.expected);
            if (register) {
                Poller.shared().register(room);
            } else if (before != p.expected) {
                Poller.shared().nudge(); // the poller may sleep on an older value: make it re-arm
            }
            return room;
        }
    }

    /** Unparks every thread in the room of {@code address}, if any (the segment is closing). */
    static void wakeAll(long address) {
        WaitingRoom room = ROOMS.get(address);
        if (room != null) {
            for (Parked p : room.parked) {
                p.wake();
            }
        }
    }

    /** A thread left without being chosen: its node is unlinked later. */
    void left() {
        leftEarly.incrementAndGet();
    }

    // ---- the poller's side (its thread only) ----

    @Override
    protected boolean attempt(boolean sweep) {
        int now = word.getAsInt();
        boolean event = kicked || now != latest;
        kicked = false;
        if (event) {
            latest = now; // may overwrite a newer registrant's value: then the next sleep returns at once, no loss
            unpark(false);
        }
        if (sweep) {
            unpark(true);
            if (leftEarly.getAndSet(0) > 0) {
                parked.removeIf(p -> !p.isWaiting());
            }
        }
        return retireIfEmpty();
    }

    /** Unparks on an event (every ALL waiter, the oldest ONE waiter) or for the sweep (the oldest sliced). */
    private void unpark(boolean sweep) {
        boolean oneChosen = false;
        for (Iterator<Parked> it = parked.iterator(); it.hasNext();) {
            Parked p = it.next();
            if (!p.isWaiting()) {
                it.remove();
                continue;
            }
            if (sweep ? !p.sliced : p.intent == WakeIntent.ONE && oneChosen) {
                if (!mixed && !sweep) {
                    return; // a room of ONE waiters: the rest stay parked
                }
                continue;
            }
            if (sweep) {
                swept = p.thread; // before the unpark: the thread may re-enter at once, and must find itself named
                if (p.wake()) {
                    it.remove();
                    return;
                }
                continue;
            }
            if (p.wake()) {
                it.remove();
                oneChosen |= p.intent == WakeIntent.ONE;
            }
        }
    }

    private boolean retireIfEmpty() {
        Parked head;
        while ((head = parked.peekFirst()) != null && !head.isWaiting()) {
            parked.removeFirstOccurrence(head);
        }
        if (head != null) {
            return false;
        }
        synchronized (this) {
            if (!parked.isEmpty()) {
                return false;
            }
            retired = true;
            ROOMS.remove(address, this);
            return true;
        }
    }

    @Override
    protected long arm() {
        return Integer.toUnsignedLong(latest);
    }

    @Override
    protected long address() {
        return address;
    }

    @Override
    protected void abandon() {
        // Retired rooms hold nobody; a failed room has unparked everyone already.
    }

    @Override
    protected Object key() {
        return this;
    }

    @Override
    protected boolean ordered() {
        return true;
    }

    @Override
    protected boolean isWaiting() {
        return !retired;
    }

    @Override
    protected void granted() {
        // attempt() succeeds only once the room is empty and retired: nothing to hand on.
    }

    @Override
    protected void fail(Throwable error) {
        // The word cannot be read (its segment closed): everyone returns and meets the error itself.
        synchronized (this) {
            retired = true;
            ROOMS.remove(address, this);
        }
        for (Parked p : parked) {
            p.wake();
        }
        parked.clear();
    }

    @Override
    protected void kicked() {
        kicked = true;
    }

    /** One parked thread's registration. */
    static final class Parked {
        private static final int WAITING = 0;
        private static final int WOKEN = 1;
        private static final int LEFT = 2;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Parked.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Thread thread;
        final int expected;
        final WakeIntent intent;
        final boolean sliced;
        private volatile int state;

        Parked(Thread thread, int expected, WakeIntent intent, boolean sliced) {
            this.thread = thread;
            this.expected = expected;
            this.intent = intent;
            this.sliced = sliced;
        }

        boolean isWaiting() {
            return state == WAITING;
        }

        /** Poller (or close): chooses this thread. @return whether it was still waiting */
        boolean wake() {
            // CAS: races the thread's own leave(); exactly one of them decides how the wait ends.
            if (STATE.compareAndSet(this, WAITING, WOKEN)) {
                LockSupport.unpark(thread);
                return true;
            }
            return false;
        }

        /** Its own thread: leaves unchosen. @return false if it was chosen first (the wait is then WOKEN) */
        boolean leave(WaitingRoom room) {
            if (STATE.compareAndSet(this, WAITING, LEFT)) {
                room.left();
                return true;
            }
            return false;
        }
    }
}
