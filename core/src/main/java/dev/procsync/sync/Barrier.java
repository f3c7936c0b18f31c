package dev.procsync.sync;

import static dev.procsync.layout.BarrierLayout.BROKEN;
import static dev.procsync.layout.BarrierLayout.GEN_MASK;
import static dev.procsync.layout.BarrierLayout.GEN_SHIFT;
import static dev.procsync.layout.BarrierLayout.PHASE_SHIFT;
import static dev.procsync.layout.BarrierLayout.COUNT_MASK;
import static dev.procsync.layout.BarrierLayout.DRAINING;
import static dev.procsync.layout.BarrierLayout.FILLING;
import static dev.procsync.layout.BarrierLayout.RESETTING;
import static dev.procsync.layout.BarrierLayout.SLOTS_OFFSET;
import static dev.procsync.layout.BarrierLayout.SLOT_LENGTH;
import static dev.procsync.layout.BarrierLayout.STATE_OFFSET;

import dev.procsync.layout.BarrierLayout;
import dev.procsync.ClosedException;
import dev.procsync.futex.Spinner;
import dev.procsync.futex.WakeIntent;
import dev.procsync.internal.InternalApi;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SegmentDirectory;
import dev.procsync.segment.SegmentKind;
import dev.procsync.segment.SegmentSpec;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A cyclic barrier for a fixed number of parties, shared by every process that opens the same
 * name: the analogue of {@code multiprocessing.Barrier} ({@code threading.Barrier}'s algorithm).
 *
 * <p>Each of {@link #parties()} threads, in any processes, calls {@link #await()}; all of them
 * return when the last one arrives, each with its <em>arrival index</em>, {@code 0} for the first
 * and {@code parties - 1} for the last. The last arriver first runs the barrier action of its own
 * handle, if that handle has one. The barrier is then reusable for the next round; threads that
 * arrive while the previous round's parties are still leaving wait for them.
 *
 * <h2>Breaking</h2>
 * The barrier <em>breaks</em> when a waiting party times out, is interrupted, or dies, when the
 * action throws, or on {@link #abort()}. Every party waiting then, and every later arrival, gets
 * {@link BrokenBarrierException} (the party whose timeout broke it too; the last arriver whose
 * action failed gets the action's exception instead) until {@link #reset()}. {@code reset()} while
 * parties wait breaks their round for them and makes the barrier usable again once they have left.
 *
 * <h2>Waiting</h2>
 * {@link #await()} waits for the handle's default timeout (none unless given at creation);
 * {@link #await(Duration)} for the given one; a zero or negative timeout does not wait (as in
 * java.util.concurrent): it breaks the barrier unless this arrival completes the round. An interrupt while waiting as a
 * party breaks the barrier and throws {@link InterruptedException}. A thread whose timeout elapses
 * before it could arrive (the previous round's parties had not all left yet) gets
 * {@link BrokenBarrierException} without breaking anything: it never joined a round. Closing this
 * handle breaks the current round (if this handle's threads are in it) and wakes them with
 * {@link ClosedException}. (Close the barrier itself: closing only its namespace also wakes them
 * but cannot count them out, so their round waits, or times out, until this process exits.)
 *
 * <h2>When a party dies</h2>
 * Each waiting party records its pid and start time in a slot. Waiters check the other parties'
 * liveness after every sleep slice (25 ms by default): a party killed while waiting breaks the
 * barrier within about a slice instead of hanging it, and its slot is reclaimed so a
 * {@link #reset()} can make the barrier usable again.
 *
 * <h2>Memory consistency effects</h2>
 * Actions of every party before {@code await()} happen-before the barrier action, which
 * happens-before every party's successful return from {@code await()}.
 */
public final class Barrier implements AutoCloseable {
    /*
     * Layout (absolute offsets; param 0 = parties):
     *
     *  offset      size  field
     *  128         4     state       futex word, table below
     *  132..191          reserved
     *  192 + 16*i  4     slot pid    pid of the party that arrived i-th in the current round, 0 if empty/left
     *  196 + 16*i  4     reserved
     *  200 + 16*i  8     slot start  that party's start time (ticks), written before the pid (release)
     *
     * State word: bits 0-15 count, bits 16-17 phase, bits 18-29 generation (wraps).
     *  phase       meaning                        transitions (all by CAS on the whole word, then FUTEX_WAKE all)
     *  FILLING     parties arriving               arrive: count+1 (index = old count); the last arriver runs
     *                                             the action with count == parties, then -> DRAINING, gen+1
     *                                             timeout/interrupt/dead party/action failure/abort -> BROKEN
     *                                             reset with count > 0 -> RESETTING; with 0 -> FILLING
     *  DRAINING    round tripped, parties leaving leave: count-1; at 0 -> FILLING. Arrivals wait.
     *  RESETTING   reset broke the waiting round  waiters throw Broken and leave; at count 0 -> FILLING
     *  BROKEN      broken until reset             arrivals throw; waiters throw and leave (count-1)
     *
     * A waiter of generation g succeeds iff it sees a generation other than g: the next round cannot
     * trip before every party of this one has left (it leaves count > 0 while DRAINING), so g+1 is
     * the only other value it can see. Arrival i owns slot i until it leaves: slot pid CAS pid -> 0,
     * and only the winner of that CAS decrements the count, so leaving, reaping a dead party and
     * closing a handle never double-count.
     */
    /** Most parties a barrier can have (the count has 16 bits). */
    public static final int MAX_PARTIES = BarrierLayout.MAX_PARTIES;


    private static final ProcessId ME = ProcessId.current();

    private final String name;
    private final Segment segment;
    private final Spinner spinner;
    private final int parties;
    private final @Nullable Runnable action;
    private final long defaultTimeoutNanos;
    private final Set<Integer> mySlots = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    private Barrier(String name, Segment segment, Spinner spinner, int parties, @Nullable Runnable action,
            long defaultTimeoutNanos) {
        this.name = name;
        this.segment = segment;
        this.spinner = spinner;
        this.parties = parties;
        this.action = action;
        this.defaultTimeoutNanos = defaultTimeoutNanos;
    }

    /**
     * Opens or creates the named barrier; see
     * {@link dev.procsync.Namespace#barrier(String, int, Runnable, Duration)}.
     *
     * @param namespace      the namespace
     * @param name           the barrier's name
     * @param parties        how many parties trip it, 1..{@value #MAX_PARTIES}; must match an existing barrier
     * @param action         run by the last arriver of each round through this handle, or {@code null}
     * @param defaultTimeout the timeout of {@link #await()} (zero or negative: never wait), or {@code null} for none
     * @return a new handle
     * @throws IllegalArgumentException if {@code parties} is out of range
     */
    public static Barrier open(SegmentDirectory namespace, String name, int parties, @Nullable Runnable action,
            @Nullable Duration defaultTimeout) {
        if (parties < 1 || parties > MAX_PARTIES) {
            throw new IllegalArgumentException("barrier '" + name + "': parties must be 1.." + MAX_PARTIES + ": "
                    + parties);
        }
        long nanos = defaultTimeout == null ? Long.MAX_VALUE
                : Timeouts.nanos(defaultTimeout);
        SegmentSpec spec = SegmentSpec.of(SegmentKind.BARRIER, 64 + (long) parties * SLOT_LENGTH, List.of("parties"),
                parties);
        Segment segment = namespace.createOrOpen(name, spec, s -> { });
        return new Barrier(name, segment, namespace.options().spinPolicy().newSpinner(), parties, action, nanos);
    }

    /** The barrier's name. */
    public String name() {
        return name;
    }

    /** How many parties trip the barrier. */
    public int parties() {
        return parties;
    }

    private static int count(int w) {
        return w & COUNT_MASK;
    }

    private static int phase(int w) {
        return (w >>> PHASE_SHIFT) & 3;
    }

    private static int gen(int w) {
        return (w >>> GEN_SHIFT) & GEN_MASK;
    }

    private static int word(int count, int phase, int gen) {
        return count | phase << PHASE_SHIFT | (gen & GEN_MASK) << GEN_SHIFT;
    }

    private BrokenBarrierException broken(String why) {
        return new BrokenBarrierException("barrier '" + name + "' " + why);
    }

    /**
     * Waits until all parties have called {@code await} on this barrier, for at most the handle's
     * default timeout.
     *
     * @return the arrival index: 0 for the first, {@code parties() - 1} for the last
     * @throws InterruptedException   if interrupted while waiting (the barrier breaks if this thread had arrived)
     * @throws BrokenBarrierException if the barrier is or becomes broken, or the timeout elapses
     * @throws ClosedException        if this handle is closed
     */
    public int await() throws InterruptedException, BrokenBarrierException {
        return await0(Timeouts.deadline(defaultTimeoutNanos));
    }

    /**
     * Waits until all parties have called {@code await}, for at most {@code timeout}; if it elapses
     * the barrier breaks for every party.
     *
     * @param timeout longest wait; zero or negative does not wait (the round must be complete with
     *                this arrival)
     * @return the arrival index: 0 for the first, {@code parties() - 1} for the last
     * @throws InterruptedException     if interrupted while waiting
     * @throws BrokenBarrierException   if the barrier is or becomes broken, or the timeout elapses
     * @throws ClosedException          if this handle is closed
     */
    public int await(Duration timeout) throws InterruptedException, BrokenBarrierException {
        return await0(Timeouts.deadline(Timeouts.nanos(timeout)));
    }

    private int await0(long deadline) throws InterruptedException, BrokenBarrierException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before arriving at barrier '" + name + "'");
        }
        int index;
        int gen;
        long lastSweep = System.nanoTime();
        while (true) {
            int w = segment.getIntAcquire(STATE_OFFSET);
            int phase = phase(w);
            if (phase == BROKEN) {
                throw broken("is broken");
            }
            if (phase == FILLING && count(w) < parties) {
                // CAS: arrivals, leavers and breakers all race on the one word; the winner gets index count(w).
                if (segment.compareAndSetInt(STATE_OFFSET, w, w + 1)) {
                    index = count(w);
                    gen = gen(w);
                    break;
                }
                continue;
            }
            // The previous round is still draining (or tripping, or resetting): wait for FILLING.
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted before arriving at barrier '" + name + "'");
            }
            long left = Timeouts.remaining(deadline);
            if (left <= 0) {
                // Not a party yet: nothing of ours to break; the round being drained is not ours either.
                throw broken("timed out before the previous round had left (this thread never arrived)");
            }
            segment.await(STATE_OFFSET, w, left, spinner.policy().sliceNanos(), WakeIntent.ALL);
            segment.checkOpen();
            lastSweep = sweepIfDue(lastSweep);
        }
        int slot = SLOTS_OFFSET + index * SLOT_LENGTH;
        segment.setLong(slot + 8, ME.startTime());
        segment.setIntRelease(slot, ME.pid()); // release: a sweeper that reads the pid sees the start time
        mySlots.add(slot);
        try {
            return index == parties - 1 ? trip(gen) : waitForTrip(index, gen, deadline, lastSweep);
        } catch (BrokenBarrierException e) {
            if (closing) {
                throw segment.closedException(); // our own close() broke the round: report the close
            }
            throw e;
        } finally {
            mySlots.remove(slot);
            if (!segment.isClosed()) {
                leave(slot);
            }
        }
    }

    private int trip(int gen) throws BrokenBarrierException {
        if (action != null) {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                breakRound(gen);
                throw e;
            }
        }
        while (true) {
            int w = segment.getIntAcquire(STATE_OFFSET);
            if (phase(w) != FILLING || gen(w) != gen) {
                throw broken("was broken or reset while its action ran");
            }
            // CAS: a breaker may race the trip; whoever wins decides the round's outcome.
            if (segment.compareAndSetInt(STATE_OFFSET, w, word(count(w), DRAINING, gen + 1))) {
                segment.wake(STATE_OFFSET, Integer.MAX_VALUE);
                return parties - 1;
            }
        }
    }

    private int waitForTrip(int index, int gen, long deadline, long lastSweep)
            throws InterruptedException, BrokenBarrierException {
        int spun = 0;
        while (true) {
            int w = segment.getIntAcquire(STATE_OFFSET);
            if (gen(w) != gen) {
                return index;
            }
            if (phase(w) != FILLING) {
                throw broken(phase(w) == RESETTING ? "was reset while waiting" : "is broken");
            }
            if (spun++ == 0 && spinner.spin(() -> segment.getIntOpaque(STATE_OFFSET) != w)) {
                continue;
            }
            if (Thread.interrupted()) {
                if (!breakRound(gen)) {
                    Thread.currentThread().interrupt(); // the round tripped first: keep the success, report later
                    return index;
                }
                throw new InterruptedException("interrupted waiting at barrier '" + name + "' (now broken)");
            }
            long left = Timeouts.remaining(deadline);
            if (left <= 0) {
                if (!breakRound(gen)) {
                    return index; // the round tripped just as the timeout elapsed
                }
                throw broken("timed out waiting (now broken for every party)");
            }
            segment.await(STATE_OFFSET, w, left, spinner.policy().sliceNanos(), WakeIntent.ALL);
            segment.checkOpen();
            lastSweep = sweepIfDue(lastSweep);
        }
    }

    /**
     * Breaks the round of generation {@code gen} if it is still filling.
     *
     * @return {@code false} if that round tripped instead (the caller has succeeded), else {@code true}
     */
    private boolean breakRound(int gen) {
        while (true) {
            int w = segment.getIntAcquire(STATE_OFFSET);
            if (gen(w) != gen) {
                return false;
            }
            if (phase(w) != FILLING) {
                return true;
            }
            // CAS: only a filling round of this generation may break; a trip or reset may have won.
            if (segment.compareAndSetInt(STATE_OFFSET, w, word(count(w), BROKEN, gen))) {
                segment.wake(STATE_OFFSET, Integer.MAX_VALUE);
                return true;
            }
        }
    }

    /** Frees a slot and counts its party out; false if someone else freed it first. */
    private boolean leave(int slot) {
        int pid = segment.getIntAcquire(slot);
        return pid != 0 && countOut(slot, pid, false);
    }

    private boolean countOut(int slot, int pid, boolean breakIfFilling) {
        // CAS on the slot: the party itself, a sweeper and a closing handle may race; one counts out.
        if (!segment.compareAndSetInt(slot, pid, 0)) {
            return false;
        }
        while (true) {
            int w = segment.getIntAcquire(STATE_OFFSET);
            int count = Math.max(0, count(w) - 1);
            int phase = phase(w);
            if (phase == FILLING && breakIfFilling) {
                phase = BROKEN;
            } else if (count == 0 && (phase == DRAINING || phase == RESETTING)) {
                phase = FILLING;
            }
            int next = word(count, phase, gen(w));
            if (segment.compareAndSetInt(STATE_OFFSET, w, next)) {
                if (phase(next) != phase(w)) {
                    segment.wake(STATE_OFFSET, Integer.MAX_VALUE);
                }
                return true;
            }
        }
    }

    private long sweepIfDue(long lastSweep) {
        long now = System.nanoTime();
        if (now - lastSweep < spinner.policy().sliceNanos()) {
            return lastSweep;
        }
        sweep();
        return now;
    }

    /** Counts out every party whose process is gone, breaking a filling round. */
    private void sweep() {
        for (int i = 0; i < parties; i++) {
            int slot = SLOTS_OFFSET + i * SLOT_LENGTH;
            int pid = segment.getIntAcquire(slot);
            if (pid != 0 && pid != ME.pid() && ProcessId.startTimeOf(pid) != segment.getLong(slot + 8)) {
                countOut(slot, pid, true);
            }
        }
    }

    /**
     * Breaks the barrier: every waiting party and every later arrival gets
     * {@link BrokenBarrierException} until {@link #reset()}.
     */
    public void abort() {
        while (true) {
            int w = segment.getIntAcquire(STATE_OFFSET);
            if (phase(w) == BROKEN) {
                return;
            }
            if (segment.compareAndSetInt(STATE_OFFSET, w, word(count(w), BROKEN, gen(w)))) {
                segment.wake(STATE_OFFSET, Integer.MAX_VALUE);
                return;
            }
        }
    }

    /**
     * Returns the barrier to its initial state. Parties waiting now get
     * {@link BrokenBarrierException}; arrivals after them wait until they have left. Parties of
     * dead processes are counted out first.
     */
    public void reset() {
        sweep();
        while (true) {
            int w = segment.getIntAcquire(STATE_OFFSET);
            int phase = phase(w);
            int next;
            if (count(w) == 0) {
                next = word(0, FILLING, gen(w));
            } else if (phase == FILLING || phase == BROKEN) {
                next = word(count(w), RESETTING, gen(w));
            } else {
                return; // draining or already resetting: becomes FILLING when the last party leaves
            }
            if (next == w || segment.compareAndSetInt(STATE_OFFSET, w, next)) {
                segment.wake(STATE_OFFSET, Integer.MAX_VALUE);
                return;
            }
        }
    }

    /** Whether the barrier is broken (a snapshot). */
    public boolean isBroken() {
        return phase(segment.getIntAcquire(STATE_OFFSET)) == BROKEN;
    }

    /** How many parties wait in the current round (a snapshot; 0 while a round drains or is broken). */
    public int waitingCount() {
        int w = segment.getIntAcquire(STATE_OFFSET);
        return phase(w) == FILLING ? count(w) : 0;
    }

    // ---- arrival hook for the reactive bridge: arrive without blocking, then poll ----

    /**
     * Arrives without blocking, for a caller that waits elsewhere (the reactive poller). Returns
     * {@code null} while the previous round is still draining (try again after the state word
     * changes: {@link #watchAddress()}, {@link #watchValue()}; every phase change wakes the word).
     * The last arriver trips the round here, running the barrier's action on the calling thread.
     * The returned arrival must be {@link Arrival#poll() polled} until it reports its index or
     * throws, or {@link Arrival#cancel() cancelled}.
     *
     * @return the arrival, or {@code null} if the barrier cannot be entered yet
     * @throws BrokenBarrierException if the barrier is broken
     * @throws ClosedException        if this handle is closed
     */
    @InternalApi
    public @Nullable Arrival tryArrive() throws BrokenBarrierException {
        while (true) {
            int w = segment.getIntAcquire(STATE_OFFSET);
            int phase = phase(w);
            if (phase == BROKEN) {
                throw broken("is broken");
            }
            if (phase != FILLING || count(w) >= parties) {
                return null;
            }
            // CAS: as in await(): the winner gets index count(w).
            if (segment.compareAndSetInt(STATE_OFFSET, w, w + 1)) {
                int index = count(w);
                int slot = SLOTS_OFFSET + index * SLOT_LENGTH;
                segment.setLong(slot + 8, ME.startTime());
                segment.setIntRelease(slot, ME.pid());
                mySlots.add(slot);
                Arrival arrival = new Arrival(index, gen(w), slot);
                if (index == parties - 1) {
                    arrival.tripNow();
                }
                return arrival;
            }
        }
    }

    /** The native address of the barrier's state word, woken on every phase change. */
    @InternalApi
    public long watchAddress() {
        return segment.address(STATE_OFFSET);
    }

    /** The state word now: the value to sleep on before the next {@link #tryArrive()} or {@link Arrival#poll()}. */
    @InternalApi
    public int watchValue() {
        return segment.getIntAcquire(STATE_OFFSET);
    }

    /** One party's arrival in a round, completed by polling instead of blocking; thread-safe. */
    public final class Arrival {
        private final int index;
        private final int gen;
        private final int slot;
        private long lastSweep = System.nanoTime();
        private int outcome = -1; // index once tripped
        private @Nullable BrokenBarrierException failure;
        private boolean left;

        private Arrival(int index, int gen, int slot) {
            this.index = index;
            this.gen = gen;
            this.slot = slot;
        }

        /** The arrival index: 0 for the first, {@code parties() - 1} for the last. */
        public int index() {
            return index;
        }

        private synchronized void tripNow() throws BrokenBarrierException {
            try {
                outcome = trip(gen);
            } finally {
                leaveOnce();
            }
        }

        /**
         * Checks the round without blocking, counting dead parties out once per sleep slice.
         *
         * @return the arrival index once the round tripped, or {@code -1} while it fills
         * @throws BrokenBarrierException if the round broke or was reset
         */
        public synchronized int poll() throws BrokenBarrierException {
            if (failure != null) {
                throw failure;
            }
            if (left) {
                return outcome;
            }
            int w = segment.getIntAcquire(STATE_OFFSET);
            if (gen(w) != gen) {
                outcome = index;
                leaveOnce();
                return index;
            }
            if (phase(w) != FILLING) {
                failure = broken(phase(w) == RESETTING ? "was reset while waiting" : "is broken");
                leaveOnce();
                throw failure;
            }
            lastSweep = sweepIfDue(lastSweep);
            return -1;
        }

        /**
         * Gives up a pending arrival: breaks the round for every party if it is still filling (as a
         * timeout does) and leaves. Does nothing once the arrival completed.
         *
         * @return whether the round had tripped first (the arrival succeeded after all)
         */
        public synchronized boolean cancel() {
            if (left) {
                return failure == null;
            }
            boolean tripped = !breakRound(gen);
            leaveOnce();
            return tripped;
        }

        private void leaveOnce() {
            if (!left) {
                left = true;
                mySlots.remove(slot);
                if (!segment.isClosed()) {
                    leave(slot);
                }
            }
        }
    }

    /** The segment (for the reactive bridge and the inspector). */
    public Segment segment() {
        return segment;
    }

    /**
     * Closes this handle. If its threads are waiting, their round breaks for every party and they
     * are woken with {@link ClosedException}.
     */
    @Override
    public void close() {
        closing = true;
        if (!segment.isClosed()) {
            for (int slot : mySlots) {
                countOut(slot, ME.pid(), true);
            }
        }
        segment.close();
    }

    @Override
    public String toString() {
        if (segment.isClosed()) {
            return "Barrier[" + name + ", closed]";
        }
        int w = segment.getIntAcquire(STATE_OFFSET);
        String[] phases = {"filling", "draining", "resetting", "broken"};
        return "Barrier[" + name + ", " + parties + " parties, " + phases[phase(w)] + ", " + count(w) + " in]";
    }
}
