package dev.procsync.reactive.shm;

import dev.procsync.reactive.Permit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/**
 * A permit of a {@link ShmCondition}'s lock, which a condition wait lends back to the lock while
 * it waits: the lock is released for the wait and re-acquired for this same permit afterwards.
 *
 * <pre>
 *  state              meaning                                  transitions
 *  HELD               the lock is held for this permit         close: -> RELEASED, release the lock
 *                                                              await: -> AWAY, release the lock
 *  AWAY               lent to a wait; re-acquisition pending   back: -> HELD
 *                                                              close: -> AWAY_RELEASING (released when back)
 *  AWAY_RELEASING     closed while away                        back: -> RELEASED, release the lock
 *  RELEASED           terminal
 * </pre>
 */
final class ConditionPermit implements Permit {
    private static final int HELD = 0;
    private static final int AWAY = 1;
    private static final int AWAY_RELEASING = 2;
    private static final int RELEASED = 3;

    private final AtomicInteger state = new AtomicInteger(HELD);
    private final Runnable releaseLock;
    private final ShmCondition owner;

    private final boolean ownerDied;

    ConditionPermit(Runnable releaseLock, boolean ownerDied, ShmCondition owner) {
        this.releaseLock = releaseLock;
        this.ownerDied = ownerDied;
        this.owner = owner;
    }

    ShmCondition owner() {
        return owner;
    }

    @Override
    public Mono<Void> release() {
        return Mono.fromRunnable(this::close);
    }

    @Override
    public void close() {
        while (true) {
            int s = state.get();
            // CAS: close races the wait's re-acquisition; the loser of HELD/AWAY leaves the release to the other.
            if (s == HELD && state.compareAndSet(HELD, RELEASED)) {
                releaseLock.run();
                return;
            }
            if (s == AWAY && state.compareAndSet(AWAY, AWAY_RELEASING)) {
                return;
            }
            if (s == AWAY_RELEASING || s == RELEASED) {
                return;
            }
        }
    }

    @Override
    public boolean previousOwnerDied() {
        return ownerDied;
    }

    @Override
    public boolean isReleased() {
        int s = state.get();
        return s == RELEASED || s == AWAY_RELEASING;
    }

    /** Lends the held lock to a wait: HELD -> AWAY; the caller then releases the lock. */
    void lend() {
        if (!state.compareAndSet(HELD, AWAY)) {
            throw new IllegalStateException("permit of " + owner.describe() + " is released or already waiting");
        }
    }

    /** The wait re-acquired the lock for this permit. */
    void back() {
        while (true) {
            if (state.compareAndSet(AWAY, HELD)) {
                return;
            }
            if (state.compareAndSet(AWAY_RELEASING, RELEASED)) {
                releaseLock.run(); // closed while away: release what we just re-acquired
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "Permit[" + owner.describe() + ", state " + state.get() + "]";
    }
}
