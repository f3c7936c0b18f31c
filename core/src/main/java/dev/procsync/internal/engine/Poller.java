package dev.procsync.internal.engine;

import dev.procsync.futex.Futex;
import dev.procsync.futex.WaitResult;
import dev.procsync.futex.WaitVector;
import dev.procsync.internal.InternalApi;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The waiting engine: the one thread per process that waits for reactive subscriptions and parked
 * virtual threads. It sleeps on the futex words its {@link EngineWaiter}s need, retries their
 * operations when a word changes, and hands completions on (to a subscriber's Scheduler, or an
 * unpark). It runs no user code: it only tries non-blocking operations, flips waiter states, gives
 * back what cancelled waiters lost, and schedules tasks.
 *
 * <p>An agent in the Agrona sense: {@link #doWork(boolean)} returns how much it did, and an
 * explicit idle strategy decides what to do when it did nothing: spin re-trying its waiters for an
 * adaptive, bounded time, then arm their words and sleep in the kernel.
 */
@InternalApi
public final class Poller {
    /** Name of the poller thread (also the prefix to count the library's threads by). */
    public static final String THREAD_NAME = "procsync-poller";

    /*
     * Algorithm
     *
     * Registration: a subscriber's thread appends its EngineWaiter to the inbox (lock-free) and rings
     * the Doorbell, which FUTEX_WAKEs the poller only when it is parked.
     *
     * doWork(), on the poller thread only:
     *  1. Drain the inbox into per-handle FIFO queues (keyed by EngineWaiter.key(), one futex word each).
     *  2. For each queue: drop waiters no longer WAITING (cancelled, timed out); try the head
     *     waiter's operation, and while it succeeds grant it (WAITING -> GRANTED, delivery
     *     scheduled) and try the next; stop at the first failure (an unordered queue tries every
     *     waiter). The head's failed try has registered it as a sleeper through the primitive's
     *     hook (so the next release FUTEX_WAKEs the word); arm() gives the value to sleep on, and
     *     (address, value) goes into the wait vector. RETRY: the word changed, try again
     *     (bounded); POLL: no word, poll. A failing try fails its waiter only. An empty queue is
     *     forgotten.
     *  3. Every head is tried at least once per SWEEP_NANOS even if no word changes, and the
     *     primitives' tries check their owners' liveness (a Lock watch takes a dead holder's lock
     *     over as a blocking waiter would); tries of a sweep round get sweep = true.
     *
     * Sleeping: futex_waitv on every armed word plus the doorbell (at most 128 words), with
     * timeout SWEEP_NANOS so the sweep runs even if nothing changes. With more than 127 words, a
     * word that keeps changing, or no futex_waitv (kernel < 5.16), the poller sleeps on the
     * doorbell alone for at most POLL_NANOS and re-tries everything: a bounded timed poll. The same
     * poll serves operations whose primitive has no watch hook (arm() says POLL).
     *
     * Virtual threads: a WaitingRoom is one EngineWaiter per futex word for every virtual thread of
     * the process parked on it; its attempt() decides whom to unpark (see its block comment) and
     * succeeds only once the room is empty. futex_waitv's result names the word that was woken:
     * kicked() tells that slot's waiter, so a wake-up whose value change was undone is not lost.
     *
     * Idle strategy (run()): after a round that did work, the poller spins: it re-runs the tries
     * WITHOUT arming (arming registers a sleeper, which makes every releaser pay a FUTEX_WAKE) for
     * up to spinNanos, yielding the CPU every few spins. A peer that answers within the budget is
     * caught at the cost of a shared-memory read, not a futex wake-up of this thread (tens of
     * microseconds on a VM). Only when the budget is spent does a round arm every word and the
     * poller sleep. The budget adapts, per process: a spin that found work moves it towards twice
     * the time that took; a spin that found nothing halves it (down to SPIN_MIN_NANOS). An idle
     * process stays idle: a sleep that ends by its timeout (the sweep, or the poll of POLL
     * operations) is followed by no spin at all, so pending waiters that never fire cost one round
     * per SWEEP_NANOS; only a wake-up (a word changed, a registration) buys one budget of spinning.
     */
    static final long SWEEP_NANOS = 25_000_000L;
    static final long POLL_NANOS = 1_000_000L;
    static final long IDLE_NANOS = 1_000_000_000L;
    static final long SPIN_MIN_NANOS = 1_000L;
    static final long SPIN_MAX_NANOS = 50_000L;
    private static final long SPIN_INITIAL_NANOS = 10_000L;
    private static final int SPINS_PER_YIELD = 16;
    private static final int ARM_ROUNDS = 4;
    private static final int PURGE_THRESHOLD = 64;

    /** Where a failed round is reported (System.Logger: the platform's logging, or SLF4J through its bridge). */
    private static final System.Logger LOG = System.getLogger(Poller.class.getName());

    /** Started on first use; null until then. */
    private static volatile @Nullable Poller shared;

    private final ConcurrentLinkedQueue<EngineWaiter> inbox = new ConcurrentLinkedQueue<>();
    private final Doorbell doorbell = new Doorbell();
    private final Map<Object, ArrayDeque<EngineWaiter>> queues = new IdentityHashMap<>();
    private final boolean waitv = Futex.waitvSupported();
    private final WaitVector vector = new WaitVector(Futex.waitvMaxWords());
    private final EngineWaiter[] armedBy = new EngineWaiter[Futex.waitvMaxWords()];
    private final Thread thread;
    private long lastSweep = System.nanoTime();
    private boolean pollOnly;
    private long spinNanos = SPIN_INITIAL_NANOS; // poller thread only
    private volatile long spinRounds; // written by the poller thread only; for tests and diagnostics
    private volatile long sleeps; // likewise

    private Poller() {
        thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
    }

    /**
     * The process's poller, started on first use.
     *
     * @return the poller
     */
    public static Poller shared() {
        Poller p = shared;
        if (p == null) {
            synchronized (Poller.class) {
                p = shared;
                if (p == null) {
                    p = new Poller();
                    p.thread.start();
                    shared = p;
                }
            }
        }
        return p;
    }

    /**
     * Hands a waiter to the poller. Never blocks.
     *
     * @param waiter a waiter in state WAITING
     */
    public void register(EngineWaiter waiter) {
        inbox.offer(waiter);
        doorbell.ring();
    }

    /** Wakes the poller so that it looks at every word now (e.g. after a handle was closed). */
    public void nudge() {
        doorbell.ring();
    }

    /** Whether the calling thread is the poller thread. */
    public boolean isPollerThread() {
        return Thread.currentThread() == thread;
    }

    private void run() {
        long idleSince = 0; // when the current spin began; 0: not spinning
        boolean spinAllowed = true;
        int spins = 0;
        while (true) {
            boolean arming = false;
            long now = 0;
            if (idleSince != 0) {
                now = System.nanoTime();
                // Budget spent (or not earned): this round arms, and the poller sleeps if it finds nothing.
                arming = !spinAllowed || now - idleSince >= spinNanos;
            }
            int work = round(arming);
            if (work > 0) {
                if (idleSince != 0 && spinAllowed && !arming) {
                    adaptSpin(System.nanoTime() - idleSince, true);
                }
                if (spins > 0) {
                    spinRounds += spins; // one writer: no lost update
                    spins = 0;
                }
                idleSince = 0;
                spinAllowed = true;
                continue;
            }
            if (idleSince == 0) {
                idleSince = System.nanoTime();
                spins = 0;
                continue;
            }
            if (!arming) {
                if (++spins % SPINS_PER_YIELD == 0) {
                    Thread.yield(); // on a busy machine, the thread we wait for may need this CPU
                } else {
                    Thread.onSpinWait();
                }
                continue;
            }
            if (spinAllowed) {
                adaptSpin(now - idleSince, false);
            }
            spinRounds += spins;
            sleeps++;
            spinAllowed = !sleep(); // a sleep that timed out earns no spin: an idle process stays idle
            idleSince = 0; // work right after a wake-up says nothing about spinning
            spins = 0;
        }
    }

    /** One {@link #doWork(boolean)}, never letting a failure kill the poller. */
    private int round(boolean arm) {
        try {
            return doWork(arm);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            // Never let the one poller die (an operation's bug must not stall every waiter): report, poll on.
            LOG.log(System.Logger.Level.ERROR, "procsync poller: a round failed; polling on", e);
            pollOnly = true;
            return 0;
        }
    }

    /** Moves the spin budget towards twice what a successful spin took, or halves it after a fruitless one. */
    private void adaptSpin(long spent, boolean found) {
        long next = found ? spinNanos + (2 * spent - spinNanos) / 4 : spinNanos / 2;
        spinNanos = Math.max(SPIN_MIN_NANOS, Math.min(SPIN_MAX_NANOS, next));
    }

    /** The current spin budget, for tests and diagnostics. */
    public long spinNanos() {
        return spinNanos;
    }

    /** Idle rounds spent spinning so far, for tests and diagnostics. */
    public long spinRounds() {
        return spinRounds;
    }

    /** Kernel sleeps so far, for tests and diagnostics. */
    public long sleeps() {
        return sleeps;
    }

    /**
     * One round: registrations, tries, grants and, if {@code arm}, arming the words to sleep on.
     *
     * @param arm whether to arm (register as a sleeper and fill the wait vector); a spinning round
     *            only tries, so that releasers find no sleeper to wake
     * @return how many waiters were registered, granted or dropped
     */
    int doWork(boolean arm) {
        int work = 0;
        EngineWaiter w;
        while ((w = inbox.poll()) != null) {
            queues.computeIfAbsent(w.key(), k -> new ArrayDeque<>()).addLast(w);
            work++;
        }
        long now = System.nanoTime();
        boolean sweep = now - lastSweep >= SWEEP_NANOS;
        if (sweep) {
            lastSweep = now;
        }
        if (arm) {
            vector.clear();
            pollOnly = !waitv;
        }
        for (Iterator<ArrayDeque<EngineWaiter>> it = queues.values().iterator(); it.hasNext();) {
            ArrayDeque<EngineWaiter> queue = it.next();
            try {
                work += arm ? serve(queue, sweep) : tryWaiters(queue, sweep);
            } catch (RuntimeException bug) {
                // Never let one queue starve the others: fail its waiters and drop it.
                for (EngineWaiter waiter : queue) {
                    waiter.fail(bug);
                }
                queue.clear();
                work++;
            }
            if (queue.isEmpty()) {
                it.remove();
            }
        }
        return work;
    }

    private int serve(ArrayDeque<EngineWaiter> queue, boolean sweep) {
        int work = 0;
        if (sweep && queue.size() > PURGE_THRESHOLD) {
            // Cancelled waiters behind a blocked head would otherwise pile up until they reach it.
            work += purge(queue);
        }
        int retries = 0;
        while (true) {
            work += tryWaiters(queue, sweep);
            if (queue.isEmpty()) {
                return work;
            }
            EngineWaiter head = queue.peekFirst();
            long value;
            long address = 0;
            try {
                value = head.arm();
                if (value >= 0) {
                    address = head.address();
                }
            } catch (RuntimeException failure) {
                // The primitive failed for this waiter (a closed handle): it fails; the next one is tried.
                queue.pollFirst();
                head.fail(failure);
                work++;
                continue;
            }
            if (value == EngineWaiter.POLL) {
                pollOnly = true; // no word to sleep on: a bounded timed poll covers it
                return work;
            }
            if (value != EngineWaiter.RETRY) {
                if (!pollOnly && vector.size() < vector.capacity() - 1) {
                    armedBy[vector.size()] = head; // so that a wake-up on this slot reaches its waiter (kicked())
                    vector.add(address, (int) value);
                } else {
                    pollOnly = true;
                }
                return work;
            }
            if (++retries > ARM_ROUNDS) {
                pollOnly = true; // the word keeps changing: look again after a short poll
                return work;
            }
        }
    }

    /** Tries waiters in order: up to the first failure if ordered, else every one. */
    private int tryWaiters(ArrayDeque<EngineWaiter> queue, boolean sweep) {
        int work = 0;
        EngineWaiter first = queue.peekFirst();
        if (first == null) {
            return 0; // a purge emptied it
        }
        boolean ordered = first.ordered();
        for (Iterator<EngineWaiter> it = queue.iterator(); it.hasNext();) {
            EngineWaiter waiter = it.next();
            if (!waiter.isWaiting()) {
                it.remove();
                waiter.abandon(); // the winner already did; this catches a registration made after it
                work++;
                continue;
            }
            boolean done;
            try {
                done = waiter.attempt(sweep);
            } catch (RuntimeException failure) {
                // This waiter's operation failed (closed handle, shut-down queue, bad message): only it fails.
                it.remove();
                waiter.fail(failure);
                work++;
                continue;
            }
            if (done) {
                it.remove();
                waiter.granted();
                work++;
            } else if (ordered) {
                break;
            }
            sweep = false; // the liveness sweep runs once per word
        }
        return work;
    }

    private static int purge(ArrayDeque<EngineWaiter> queue) {
        int before = queue.size();
        queue.removeIf(waiter -> {
            if (waiter.isWaiting()) {
                return false;
            }
            waiter.abandon();
            return true;
        });
        return before - queue.size();
    }

    /**
     * Sleeps on the armed words and the doorbell (or the doorbell alone for a bounded poll).
     *
     * @return whether the sleep ended by its timeout rather than a wake-up or a changed word
     */
    private boolean sleep() {
        int bell = doorbell.park();
        try {
            if (!inbox.isEmpty()) {
                return false;
            }
            if (queues.isEmpty()) {
                return Futex.await(doorbell.address(), bell, IDLE_NANOS) == WaitResult.TIMED_OUT;
            } else if (pollOnly) {
                return Futex.await(doorbell.address(), bell, POLL_NANOS) == WaitResult.TIMED_OUT;
            } else {
                int armed = vector.size();
                vector.add(doorbell.address(), bell);
                int woken = Futex.awaitAny(vector, SWEEP_NANOS);
                if (woken >= 0 && woken < armed) {
                    armedBy[woken].kicked();
                }
                return woken == Futex.AWAIT_ANY_TIMED_OUT;
            }
        } catch (RuntimeException e) {
            // An unexpected errno: fall back to a short timed poll rather than spin or die.
            LockSupport.parkNanos(POLL_NANOS);
            return true;
        } finally {
            doorbell.unpark();
        }
    }
}
