package dev.procsync.reactive.poller;

import dev.procsync.internal.engine.EngineWaiter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * One pending wait of one subscription, as the process's waiting engine
 * ({@link dev.procsync.internal.engine.Poller}) sees it, with the per-subscription
 * state machine that makes cancellation and timeouts safe.
 *
 * <p>Subclasses say how to try the operation ({@link #attempt}), how to give back what a
 * successful attempt took ({@link #giveBack}), and how to signal the subscriber. This class
 * decides who wins each race, in one state word:
 *
 * <pre>
 *  state      meaning                                       transitions (by whom)
 *  WAITING    registered; attempts may be made for it       -> GRANTED   attempt succeeded (poller / request thread)
 *                                                           -> CANCELLED cancel(); nothing is held
 *                                                           -> TIMED_OUT deadline task on the Scheduler
 *                                                           -> FAILED    the primitive failed (closed)
 *  GRANTED    the waiter holds the resource; delivery is    -> DELIVERED delivery task on the Scheduler
 *             scheduled                                     -> CANCELLED cancel(); the canceller gives back
 *  DELIVERED  the subscriber has it (terminal)
 *  CANCELLED  terminal; TIMED_OUT terminal; FAILED terminal
 * </pre>
 *
 * <p>Every transition is one {@code compareAndSet}; whoever loses a race against a grant gives the
 * resource back exactly once: a grant that finds the waiter no longer WAITING gives back at once,
 * a cancel that finds it GRANTED gives back, a delivery that finds it CANCELLED does nothing.
 * Giving back (a release) wakes the next waiter, so a wake-up consumed by a cancelled waiter is
 * passed on. A timeout only wins against WAITING: once granted, the grant is delivered.
 */
public abstract class Waiter extends EngineWaiter {
    /** Registered, nothing held. */
    protected static final int WAITING = 0;
    /** Holds the resource, delivery scheduled. */
    protected static final int GRANTED = 1;
    /** Handed to the subscriber. */
    protected static final int DELIVERED = 2;
    /** Cancelled by the subscriber. */
    protected static final int CANCELLED = 3;
    /** The deadline passed first. */
    protected static final int TIMED_OUT = 4;
    /** The primitive failed. */
    protected static final int FAILED = 5;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Scheduler scheduler;
    private volatile int state;
    private volatile @Nullable Disposable timer;

    /**
     * Creates a waiter in state WAITING.
     *
     * @param scheduler where its completions run
     */
    protected Waiter(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Where completions run. */
    protected final Scheduler scheduler() {
        return scheduler;
    }

    // ---- what a subclass supplies ----

    /**
     * Tries the operation once without blocking; on success the waiter holds the resource. Called
     * by the poller thread (or the requesting thread before registration), never concurrently.
     *
     * @param sweep whether this is the periodic owner-liveness sweep (take over from dead owners)
     * @return whether it succeeded
     */
    @Override
    protected abstract boolean attempt(boolean sweep);

    /** Gives back what a successful {@link #attempt} took, because the waiter lost to a cancel or timeout. */
    protected abstract void giveBack();

    /**
     * After a failed {@link #attempt}: registers as a sleeper on the word (if not yet registered)
     * so that the next change is followed by a {@code FUTEX_WAKE}, and returns the value to sleep on.
     *
     * @return the value, zero-extended, {@link WaitOperation#RETRY} to attempt again first, or
     *         {@link WaitOperation#POLL} to be retried after a short poll
     */
    @Override
    protected abstract long arm();

    /** The native address of the word {@link #arm()} registered on. */
    @Override
    protected abstract long address();

    /**
     * Undoes a registration made by {@link #arm()} or {@link #attempt}, for a waiter that leaves
     * WAITING without a grant. Idempotent; may race an attempt, and the primitive's hook decides.
     */
    @Override
    protected abstract void abandon();

    /** Waiters with the same key (one handle) are served in arrival order. */
    @Override
    protected abstract Object key();

    /**
     * Whether a failed attempt of the first waiter means the later ones would fail too (a lock, a
     * semaphore). {@code false} for an event, where every waiter is tried.
     */
    @Override
    protected abstract boolean ordered();

    /** Signals the subscriber that it got the resource (runs on the Scheduler, or the requesting thread). */
    protected abstract void deliver();

    /** Signals the subscriber that the deadline passed (runs on the Scheduler or the requesting thread). */
    protected abstract void deliverTimeout();

    /**
     * Signals the subscriber that the primitive failed (runs on the Scheduler).
     *
     * @param error why
     */
    protected abstract void deliverError(Throwable error);

    // ---- transitions ----

    /** Whether the poller should still attempt for this waiter. */
    @Override
    protected final boolean isWaiting() {
        return state == WAITING;
    }

    /**
     * Records a successful attempt: WAITING -> GRANTED and schedules delivery, or gives back if the
     * waiter was cancelled or timed out meanwhile.
     */
    @Override
    protected final void granted() {
        // CAS: the grant races cancel() and the deadline task; exactly one of them owns the outcome.
        if (STATE.compareAndSet(this, WAITING, GRANTED)) {
            disposeTimer();
            try {
                scheduler.schedule(this::deliverGranted);
            } catch (RejectedExecutionException e) {
                if (STATE.compareAndSet(this, GRANTED, FAILED)) {
                    giveBack();
                    deliverError(e);
                }
            }
        } else {
            giveBack();
        }
    }

    /**
     * For the requesting thread's fast path: a successful first attempt delivers at once.
     *
     * @return whether delivery happened (false if cancelled meanwhile; then it was given back)
     */
    protected final boolean grantedInline() {
        if (STATE.compareAndSet(this, WAITING, DELIVERED)) {
            deliver();
            return true;
        }
        giveBack();
        return false;
    }

    private void deliverGranted() {
        // CAS: a cancel() between grant and this task wins and gives back itself.
        if (STATE.compareAndSet(this, GRANTED, DELIVERED)) {
            deliver();
        }
    }

    /** Cancels: from WAITING nothing is held; from GRANTED the canceller gives back. */
    protected final void cancelWait() {
        while (true) {
            int s = state;
            if (s == WAITING) {
                if (STATE.compareAndSet(this, WAITING, CANCELLED)) {
                    disposeTimer();
                    abandon();
                    return;
                }
            } else if (s == GRANTED) {
                if (STATE.compareAndSet(this, GRANTED, CANCELLED)) {
                    giveBack();
                    return;
                }
            } else {
                return;
            }
        }
    }

    /**
     * Arms the deadline on the Scheduler.
     *
     * @param nanos relative deadline
     */
    protected final void startTimer(long nanos) {
        timer = scheduler.schedule(this::timeOut, nanos, TimeUnit.NANOSECONDS);
        if (state != WAITING) {
            disposeTimer();
        }
    }

    /** The deadline passed: WAITING -> TIMED_OUT, then signals. Loses to a grant. */
    protected final void timeOut() {
        if (STATE.compareAndSet(this, WAITING, TIMED_OUT)) {
            abandon();
            deliverTimeout();
        }
    }

    /**
     * The primitive failed while waiting (e.g. the handle was closed): WAITING -> FAILED.
     *
     * @param error why
     */
    @Override
    protected final void fail(Throwable error) {
        if (STATE.compareAndSet(this, WAITING, FAILED)) {
            disposeTimer();
            abandon();
            try {
                scheduler.schedule(() -> deliverError(error));
            } catch (RejectedExecutionException e) {
                error.addSuppressed(e);
                deliverError(error);
            }
        }
    }

    /**
     * Fails at once on the calling thread (before registration): WAITING -> FAILED.
     *
     * @param error why
     */
    protected final void failInline(Throwable error) {
        if (STATE.compareAndSet(this, WAITING, FAILED)) {
            abandon();
            deliverError(error);
        }
    }

    /**
     * Whether nothing more will happen to this wait: it was delivered, cancelled, timed out or
     * failed (neither WAITING nor GRANTED). For tests and diagnostics.
     *
     * @return whether the state is terminal
     */
    public final boolean isSettled() {
        int s = state;
        return s != WAITING && s != GRANTED;
    }

    /** The current state, for tests and diagnostics. */
    protected final int state() {
        return state;
    }

    private void disposeTimer() {
        Disposable t = timer;
        if (t != null) {
            t.dispose();
        }
    }
}
