package dev.procsync.reactive.shm;

import dev.procsync.reactive.poller.WaitMono;
import dev.procsync.reactive.poller.WaitOperation;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * {@link ShmQueue#receive()}: a cold {@code Flux} that dequeues in batches of up to the outstanding
 * demand, with one poller registration per wait for an empty queue rather than one per message.
 *
 * <p>Nothing happens until the subscriber requests. Then, while demand is outstanding, the
 * messages ready in the ring are taken in batches (as {@code drainTo} does: one compare-and-set on
 * the ring's head for up to {@code min(demand, MAX_BATCH)} consecutive records) and emitted; when
 * the queue is empty, one wait is registered with the poller, which takes a batch as soon as
 * messages arrive. Never more messages are taken than were requested and not yet emitted, so
 * {@code onNext} never outruns {@code request(n)}.
 *
 * <p>Cancellation keeps every message: a batch taken by a wait whose subscriber cancelled before
 * the batch reached the emitting thread is given back whole (the {@code Waiter}'s GRANTED ->
 * CANCELLED transition); a batch being emitted when the cancel arrives stops at the next message,
 * and the messages not yet emitted are given back. Given-back messages go to the front of the
 * handle's next take, in order. The one message whose {@code onNext} was already under way when
 * the cancel arrived is still delivered (Reactive Streams rule 2.8).
 *
 * @param <T> the message type
 */
final class ShmReceive<T> extends Flux<T> {
    /** Most messages one take removes, so a large demand does not hold back the first message long. */
    static final int MAX_BATCH = 256;

    private final ShmQueue<T> queue;

    ShmReceive(ShmQueue<T> queue) {
        this.queue = queue;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        actual.onSubscribe(new Receiver<>(actual, queue));
    }

    /*
     * Algorithm
     *
     * One emitting loop per subscription, serialised by `wip` (the work-in-progress counter of
     * Reactor's drain loops): request(), cancel() and the end of a wait each increment it, and
     * whoever raises it from zero runs the loop until every increment has been seen. `emitted`,
     * `ready`, `readyIndex` and `terminated` belong to the loop; a wait sets `handed` and then
     * clears `waiting`, so the loop reads them in the opposite order.
     *
     * The loop: emit what `ready` holds (a batch handed over by a finished wait); then, while
     * demand is outstanding and no wait is registered, take a batch directly; if the queue is
     * empty, subscribe one WaitMono over a BatchTake (which tries once more on this thread, then
     * registers with the poller). While that wait is pending the loop takes nothing, so the
     * BatchTake may read `requested - base` as the demand it may fill: no message is emitted
     * between its subscription and its end (base = emitted at subscription).
     */
    static final class Receiver<T> implements Subscription {
        private final CoreSubscriber<? super T> actual;
        private final ShmQueue<T> queue;
        private final AtomicLong requested = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        private volatile boolean cancelled;
        private volatile boolean waiting; // a wait is subscribed and has not ended
        private volatile @Nullable Wait current;
        private volatile @Nullable List<T> handed; // set by a finished wait, taken by the loop
        private volatile @Nullable Throwable error; // to signal once what was taken before it is emitted
        private long emitted; // loop only
        private @Nullable List<T> ready; // loop only
        private int readyIndex; // loop only
        private boolean terminated; // loop only

        Receiver(CoreSubscriber<? super T> actual, ShmQueue<T> queue) {
            this.actual = actual;
            this.queue = queue;
        }

        @Override
        public void request(long n) {
            if (!Operators.validate(n)) {
                return;
            }
            requested.getAndAccumulate(n, (r, add) -> r + add < 0 ? Long.MAX_VALUE : r + add);
            drain();
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            Wait w = current;
            if (w != null) {
                w.cancel(); // a batch taken and not yet handed over is given back by the Waiter
            }
            drain();
        }

        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            while (true) {
                loop();
                missed = wip.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        private void loop() {
            if (terminated) {
                return;
            }
            while (!cancelled) {
                List<T> batch = ready;
                if (batch != null) {
                    while (readyIndex < batch.size() && emitted != requested.get()) {
                        if (cancelled) {
                            break;
                        }
                        T item = batch.get(readyIndex++);
                        emitted++;
                        actual.onNext(item);
                    }
                    if (readyIndex < batch.size()) {
                        break; // cancelled (a batch never exceeds the demand it was taken for)
                    }
                    ready = null;
                }
                if (waiting) {
                    return; // the wait's end runs the loop again
                }
                // Read after `waiting`: a wait writes its batch before it clears the flag.
                List<T> h = handed;
                if (h != null) {
                    handed = null;
                    ready = h;
                    readyIndex = 0;
                    continue;
                }
                Throwable e = error;
                if (e != null) {
                    terminated = true;
                    actual.onError(e);
                    return;
                }
                long want = requested.get() - emitted;
                if (want <= 0) {
                    return;
                }
                List<T> taken;
                try {
                    taken = queue.takeBatch((int) Math.min(want, MAX_BATCH), this::failAfter);
                } catch (RuntimeException failure) {
                    terminated = true;
                    actual.onError(failure);
                    return;
                }
                if (taken.isEmpty()) {
                    startWait();
                    if (waiting) {
                        return; // pending on the poller (one that completed at once ran the loop again)
                    }
                } else {
                    ready = taken;
                    readyIndex = 0;
                }
            }
            // Cancelled: whatever the loop holds goes back to the handle, in order.
            List<T> batch = ready;
            if (batch != null) {
                ready = null;
                queue.giveBack(batch, readyIndex);
            }
            boolean pending = waiting; // read first: a wait writes its batch before it clears the flag
            List<T> late = handed;
            if (late != null) {
                handed = null;
                queue.giveBack(late, 0);
            }
            terminated = !pending; // else the wait's end (if it comes) runs this again
        }

        private void failAfter(RuntimeException e) {
            error = e;
        }

        private void startWait() {
            Wait w = new Wait(emitted);
            queue.countReceiveWait();
            waiting = true;
            current = w;
            new WaitMono<>(() -> new BatchTake(w.base), queue.scheduler(), null, true).subscribe(w);
        }

        /** The subscriber of one wait for a batch: hands the batch to the loop. */
        private final class Wait extends OneShotInner<List<T>> {
            final long base;

            Wait(long base) {
                this.base = base;
            }

            @Override
            boolean outerCancelled() {
                return Receiver.this.cancelled;
            }

            @Override
            public void onNext(List<T> batch) {
                handed = batch;
            }

            @Override
            public void onError(Throwable t) {
                error = t;
                end();
            }

            @Override
            public void onComplete() {
                end();
            }

            private void end() {
                current = null;
                waiting = false;
                drain();
            }
        }

        /** Takes a batch of up to the outstanding demand, on the requesting thread or the poller. */
        private final class BatchTake implements WaitOperation<List<T>> {
            private final long base;

            BatchTake(long base) {
                this.base = base;
            }

            @Override
            public @Nullable List<T> tryTake(boolean sweep) {
                long want = requested.get() - base;
                List<T> taken = queue.takeBatch((int) Math.min(Math.max(want, 1), MAX_BATCH), Receiver.this::failAfter);
                return taken.isEmpty() ? null : taken;
            }

            @Override
            public long arm() {
                return queue.armTake();
            }

            @Override
            public long address() {
                return queue.takeAddress();
            }

            @Override
            public void giveBack(List<T> taken) {
                queue.giveBack(taken, 0);
            }

            @Override
            public Object key() {
                return queue.takeKey();
            }

            @Override
            public String describe() {
                return queue.describe();
            }
        }
    }
}
