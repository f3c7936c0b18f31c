package dev.procsync.sync;

import dev.procsync.layout.LockLayout;
import dev.procsync.process.OwnerWatch;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.Segment;

/**
 * The {@link Watch} protocol over a {@link LockWord}, shared by {@link Lock#armAcquire()} and
 * {@link RLock#armAcquireAs(long)}: the two locks differ only in what they record once the word
 * is theirs, which the caller passes as {@link Taken}.
 *
 * <pre>
 *  tryComplete:  word 0            CAS 0 -> mypid|SLEEPERS (keeps the bit: we cannot know we were
 *                                  the last sleeper), then taken(false)
 *                holder dead       CAS observed -> mypid|SLEEPERS, then taken(true)
 *                otherwise         false; refresh() re-marks SLEEPERS on the current hold
 *  disarm:       FUTEX_WAKE 1: the release that woke us also cleared SLEEPERS, so whether others
 *                sleep is unknowable; hand the wake-up on (cancel path only)
 * </pre>
 */
final class LockWordWatch {
    /** What the lock records once the word is taken (owner start time, key, count, ownerDied). */
    interface Taken {
        void taken(boolean fromDeadOwner);
    }

    private static final int MY_PID = ProcessId.current().pid();

    private LockWordWatch() {
    }

    static Watch arm(Segment segment, int stateOffset, int ownerStartOffset, Taken taken) {
        OwnerWatch owner = new OwnerWatch();
        Watch.Protocol protocol = new Watch.Protocol() {
            @Override
            public boolean tryComplete(int expected) {
                int state = segment.getIntAcquire(stateOffset);
                if (state == 0) {
                    if (segment.compareAndSetInt(stateOffset, 0, MY_PID | LockLayout.SLEEPERS)) {
                        taken.taken(false);
                        return true;
                    }
                    return false;
                }
                if (owner.isOwnerDead(state, LockWord.pid(state), segment.getLongAcquire(ownerStartOffset))
                        && segment.compareAndSetInt(stateOffset, state, MY_PID | LockLayout.SLEEPERS)) {
                    taken.taken(true);
                    return true;
                }
                return false;
            }

            @Override
            public int refresh(int expected) {
                return markSleeper(segment, stateOffset);
            }

            @Override
            public void disarm(int expected) {
                segment.wake(stateOffset, 1);
            }
        };
        return new Watch(segment, stateOffset, markSleeper(segment, stateOffset), protocol);
    }

    /** Sets SLEEPERS on the current holder's word (CAS loop: the holder may change under us); 0 if free. */
    static int markSleeper(Segment segment, int stateOffset) {
        while (true) {
            int state = segment.getIntAcquire(stateOffset);
            if (state == 0 || LockWord.hasSleepers(state)) {
                return state;
            }
            if (segment.compareAndSetInt(stateOffset, state, state | LockLayout.SLEEPERS)) {
                return state | LockLayout.SLEEPERS;
            }
        }
    }
}
