package dev.procsync.reactive.shm;

import dev.procsync.internal.engine.Poller;
import dev.procsync.reactive.poller.WaitMono;
import dev.procsync.reactive.poller.WaitOperation;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * {@link ShmQueue#send(Publisher)}: puts a publisher's items in batches, backpressured by the
 * queue.
 *
 * <p>Items are encoded as they arrive and put in batches: while one batch is being put (on the
 * poller, which claims as many records as fit with one atomic operation and never sleeps in a
 * core call), the next items collect, and they go as the next batch. Demand to the source is what
 * the queue has room for now (its message bound minus its size, at most {@link #PREFETCH}), less
 * what this send already holds, and at least one item: a full queue nobody takes from holds back
 * all but one item beyond its capacity.
 *
 * <p>Cancelling stops the send: the items already put stay put (a put that won its race against
 * the cancel stays, as for {@code put}), the items received from the source but not yet put are
 * dropped, and the source is cancelled. An error of the source ends the send with that error
 * after every item received before it has been put. An error of the queue (shut down, closed
 * handle) or an item that cannot be encoded ends it at once, with the source cancelled: the items
 * put before stay put, the rest are not put.
 *
 * @param <T> the item type
 */
final class ShmSend<T> extends Mono<Void> {
    /** Most items one batch puts, and most the send requests ahead from its source. */
    static final int PREFETCH = 64;

    private final ShmQueue<T> queue;
    private final Publisher<? extends T> items;

    ShmSend(ShmQueue<T> queue, Publisher<? extends T> items) {
        this.queue = queue;
        this.items = items;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Void> actual) {
        items.subscribe(new Sender<>(actual, queue));
    }

    /*
     * One loop per send, serialised by `wip` as in ShmReceive: onNext, onComplete, onError,
     * cancel() and the end of a batch each increment it. The loop owns `batch` and `terminated`,
     * starts at most one batch put at a time (a WaitMono over a PutBatch), and requests from the
     * source when what it holds (requested and not received, buffered, being put) is below what
     * the queue has room for.
     */
    static final class Sender<T> implements CoreSubscriber<T>, Subscription {
        private final CoreSubscriber<? super Void> actual;
        private final ShmQueue<T> queue;
        private final AtomicInteger wip = new AtomicInteger();
        private final ArrayDeque<ByteBuffer> buffered = new ArrayDeque<>(); // guarded by itself
        private volatile @Nullable Subscription upstream;
        private volatile long outstanding; // requested from the source, not yet received; loop and onNext
        private volatile boolean done;
        private volatile boolean cancelled;
        private volatile boolean putting; // a batch is being put
        private volatile @Nullable Throwable error; // the source's: signalled once everything received is put
        private volatile @Nullable Throwable failure; // the queue's or the codec's: signalled at once
        private volatile @Nullable Batch current;
        private int inFlight; // loop only: items of the batch being put
        private boolean terminated; // loop only

        Sender(CoreSubscriber<? super Void> actual, ShmQueue<T> queue) {
            this.actual = actual;
            this.queue = queue;
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (!Operators.validate(upstream, s)) {
                return;
            }
            upstream = s;
            actual.onSubscribe(this);
        }

        @Override
        public void request(long n) {
            // Demand for a Mono<Void>: nothing to count. The first request starts the send.
            if (Operators.validate(n)) {
                drain();
            }
        }

        @Override
        public void onNext(T item) {
            ByteBuffer encoded;
            try {
                encoded = queue.core().encodeForPut(item);
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            synchronized (buffered) {
                buffered.addLast(encoded);
            }
            decrementOutstanding();
            drain();
        }

        private synchronized void decrementOutstanding() {
            outstanding--;
        }

        private synchronized void addOutstanding(long n) {
            outstanding += n;
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            done = true;
            drain();
        }

        /** A failure of the queue or the codec: the source is cancelled and the send ends with it. */
        void fail(Throwable t) {
            if (failure == null) {
                failure = t;
            }
            Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
            drain();
        }

        @Override
        public void onComplete() {
            done = true;
            drain();
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
            Batch b = current;
            if (b != null) {
                b.cancel();
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

        private int bufferedSize() {
            synchronized (buffered) {
                return buffered.size();
            }
        }

        private void loop() {
            if (terminated) {
                return;
            }
            if (cancelled) {
                terminated = true;
                synchronized (buffered) {
                    buffered.clear();
                }
                return;
            }
            if (putting) {
                return; // the batch's end runs the loop again
            }
            inFlight = 0;
            Throwable f = failure;
            Throwable e = f != null ? f : error;
            if (f != null || done && bufferedSize() == 0) {
                terminated = true;
                synchronized (buffered) {
                    buffered.clear();
                }
                if (e != null) {
                    actual.onError(e);
                } else {
                    actual.onComplete();
                }
                return;
            }
            ByteBuffer[] batch;
            synchronized (buffered) {
                batch = new ByteBuffer[Math.min(buffered.size(), PREFETCH)];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = buffered.pollFirst();
                }
            }
            if (batch.length > 0) {
                inFlight = batch.length;
                putting = true;
                Batch b = new Batch();
                current = b;
                new WaitMono<>(() -> new PutBatch(batch), queue.scheduler(), null, true).subscribe(b);
            }
            if (!done) {
                replenish();
            }
        }

        /** Requests what the queue has room for beyond what this send holds; at least one item in all. */
        private void replenish() {
            long target = Math.max(1, Math.min(PREFETCH, queue.room()));
            long held = outstanding + bufferedSize() + inFlight;
            if (held < target) {
                Subscription s = upstream;
                if (s != null) {
                    addOutstanding(target - held);
                    s.request(target - held);
                }
            }
        }

        /** The subscriber of one batch put. */
        private final class Batch extends OneShotInner<Boolean> {

            @Override
            boolean outerCancelled() {
                return Sender.this.cancelled;
            }

            @Override
            public void onNext(Boolean put) {
                // all of the batch is in the queue
            }

            @Override
            public void onError(Throwable t) {
                current = null;
                putting = false;
                fail(t);
            }

            @Override
            public void onComplete() {
                end();
            }

            private void end() {
                current = null;
                putting = false;
                drain();
            }
        }

        /**
         * Puts one batch: on the poller thread only (the claim lock may be spun for), as many as fit
         * per try; done when all are put. A try never sleeps: a claim lock held by another producer
         * is retried, a full queue is slept on.
         */
        private final class PutBatch implements WaitOperation<Boolean> {
            private final ByteBuffer[] batch;
            private int put; // poller thread only
            private boolean claimBusy; // poller thread only

            PutBatch(ByteBuffer[] batch) {
                this.batch = batch;
            }

            @Override
            public @Nullable Boolean tryTake(boolean sweep) {
                if (!Poller.shared().isPollerThread()) {
                    return null;
                }
                int n = queue.core().offerEncodedNow(batch, put, batch.length);
                claimBusy = n < 0;
                if (n > 0) {
                    put += n;
                }
                return put == batch.length ? Boolean.TRUE : null;
            }

            @Override
            public long arm() {
                // A claim lock held by another producer is retried (its end may wake no one); else sleep on "not full".
                return claimBusy ? RETRY : queue.armPut();
            }

            @Override
            public long address() {
                return queue.core().notFullAddress();
            }

            @Override
            public void giveBack(Boolean taken) {
                // A batch that won the race against its cancellation stays put.
            }

            @Override
            public Object key() {
                return queue.putKey();
            }

            @Override
            public String describe() {
                return queue.describe();
            }
        }
    }
}
