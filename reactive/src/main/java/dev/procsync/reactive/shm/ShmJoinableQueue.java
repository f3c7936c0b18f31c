package dev.procsync.reactive.shm;

import dev.procsync.channel.JoinableQueue;
import dev.procsync.reactive.ReactiveJoinableQueue;
import dev.procsync.reactive.poller.WaitMono;
import dev.procsync.reactive.poller.WaitOperation;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@link ReactiveJoinableQueue} over a core {@link JoinableQueue}. A pending {@link #join()} sleeps
 * in the poller on the queue's "joined" event count ({@link JoinableQueue#armJoined()}), which the
 * {@code taskDone()} that brings the unfinished-task count to zero signals in any process: no
 * thread and no timed poll per joiner.
 *
 * @param <T> the item type
 */
final class ShmJoinableQueue<T> extends ShmQueue<T> implements ReactiveJoinableQueue<T> {
    private final JoinableQueue<T> joinable;
    private final Supplier<Scheduler> scheduler;

    ShmJoinableQueue(JoinableQueue<T> queue, Supplier<Scheduler> scheduler) {
        super(queue, scheduler);
        this.joinable = queue;
        this.scheduler = scheduler;
    }

    @Override
    public Mono<Void> taskDone() {
        return Mono.fromRunnable(joinable::taskDone);
    }

    @Override
    public Mono<Void> join() {
        return new WaitMono<Object>(Join::new, scheduler, null, false).then();
    }

    @Override
    public Mono<Void> join(Duration timeout) {
        return new WaitMono<Object>(Join::new, scheduler, Timeouts.check(timeout), false).then();
    }

    /** One pending join: done when no task is unfinished. */
    private final class Join implements WaitOperation<Object> {
        @Override
        public @Nullable Object tryTake(boolean sweep) {
            return joinable.unfinishedTasks() == 0 ? Boolean.TRUE : null;
        }

        @Override
        public long arm() {
            // Arm, then check (the core protocol): a last taskDone() between the poller's failed try
            // and this registration found no sleeper to wake, so it must be seen here.
            int value = joinable.armJoined();
            return joinable.unfinishedTasks() == 0 ? RETRY : value & 0xFFFF_FFFFL;
        }

        @Override
        public long address() {
            return joinable.joinedAddress();
        }

        @Override
        public void giveBack(Object taken) {
            // seeing the count at zero takes nothing
        }

        @Override
        public Object key() {
            return this;
        }

        @Override
        public String describe() {
            return ShmJoinableQueue.this.describe();
        }
    }
}
