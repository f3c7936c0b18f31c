package dev.procsync.redis;

import dev.procsync.reactive.Permit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A hold of a {@link RedisCondition}'s lock, which a wait can lend: while lent, the wait has given
 * the lock up and takes it back for this permit before it completes (or, cancelled, in the
 * background).
 *
 * <pre>
 * state          meaning                                    transitions
 * HELD           the lock is held for this permit           → LENT (a wait starts), → RELEASED (release)
 * LENT           a wait gave the lock up, takes it back     → HELD (back), → LENT_RELEASED (release),
 *                                                             → RELEASED (the lock could not be taken back)
 * LENT_RELEASED  released while lent: given up once back    → RELEASED (back, or could not be taken back)
 * RELEASED       terminal
 * </pre>
 * Every transition is a CAS on one word, so a release racing a wait's start or end is either seen
 * by the wait (and done when the lock is back) or done at once, never both nor neither.
 */
final class RedisConditionPermit implements Permit {
    private static final int HELD = 0;
    private static final int LENT = 1;
    private static final int LENT_RELEASED = 2;
    private static final int RELEASED = 3;

    private final RedisCondition condition;
    private final RedisLock lock;
    private final RedisLock.Hold hold;
    private final AtomicInteger state = new AtomicInteger(HELD);
    /** Completes when a release made while lent has been done (the lock back and given up). */
    private final Sinks.Empty<Void> lateRelease = Sinks.empty();

    RedisConditionPermit(RedisCondition condition, RedisLock lock, RedisLock.Hold hold) {
        this.condition = condition;
        this.lock = lock;
        this.hold = hold;
    }

    RedisCondition condition() {
        return condition;
    }

    RedisLock.Hold hold() {
        return hold;
    }

    /**
     * Lends the lock to a wait.
     *
     * @throws IllegalStateException if the permit is released or already lent to another wait
     */
    void lend() {
        int s = state.get();
        if (s == HELD && state.compareAndSet(HELD, LENT)) {
            return;
        }
        throw new IllegalStateException(s == LENT ? "a wait of " + condition + " already holds " + this
                : "cannot wait with a released permit of " + condition);
    }

    /**
     * The lock is held for this permit again (or, after a failed start, was never given up): the
     * permit holds it, or, if released meanwhile, gives it up now.
     */
    Mono<Void> back() {
        return Mono.defer(() -> {
            if (state.compareAndSet(LENT, HELD)) {
                return Mono.empty();
            }
            if (state.compareAndSet(LENT_RELEASED, RELEASED)) {
                return lock.release(hold).doFinally(signal -> lateRelease.tryEmitEmpty());
            }
            return Mono.empty();
        });
    }

    /** The lock could not be taken back (closed handle, lost server): nothing is held any more. */
    void lost() {
        state.set(RELEASED);
        lateRelease.tryEmitEmpty();
    }

    @Override
    public Mono<Void> release() {
        return Mono.defer(() -> {
            while (true) {
                int s = state.get();
                if (s == HELD && state.compareAndSet(HELD, RELEASED)) {
                    return lock.release(hold);
                }
                if (s == LENT && state.compareAndSet(LENT, LENT_RELEASED)) {
                    return lateRelease.asMono(); // the wait gives it up as soon as the lock is back
                }
                if (s == LENT_RELEASED || s == RELEASED) {
                    return Mono.empty();
                }
            }
        });
    }

    /** As {@link RedisPermit#close()}: confirmed before it returns where the thread may block. */
    @Override
    public void close() {
        RedisPermit.confirm(release());
    }

    @Override
    public boolean isReleased() {
        return state.get() >= LENT_RELEASED;
    }

    @Override
    public boolean previousOwnerDied() {
        return hold.previousOwnerDied();
    }

    @Override
    public String toString() {
        return "Permit[" + condition + (isReleased() ? ", released]" : "]");
    }
}
