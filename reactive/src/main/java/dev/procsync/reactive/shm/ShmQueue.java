package dev.procsync.reactive.shm;

import dev.procsync.channel.Queue;
import dev.procsync.reactive.ReactiveQueue;
import dev.procsync.internal.engine.Poller;
import dev.procsync.reactive.poller.WaitMono;
import dev.procsync.reactive.poller.WaitOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@link ReactiveQueue} over a core {@link Queue}: the same ring, so blocking and reactive
 * producers and consumers in any processes share it.
 *
 * <p>Pending takes sleep in the poller on the queue's "not empty" event count, pending puts on its
 * "not full" one: no thread and no timed poll per waiter. Puts and offers run on the poller thread
 * through {@link Queue#offerNow}, which never sleeps: a claim lock held by another producer is
 * retried on the next round, not waited for, so the poller never stalls its other waiters.
 *
 * <p>No message is lost between dequeue and {@code onNext}: a message taken for a subscriber that
 * cancelled (or timed out) before it was delivered is kept by this handle and handed to its next
 * take, ahead of the shared queue, so the order this process sees is kept. Closing the handle
 * offers such messages back to the shared queue.
 *
 * @param <T> the message type
 */
class ShmQueue<T> implements ReactiveQueue<T> {
    private final Queue<T> queue;
    private final Supplier<Scheduler> scheduler;
    private final ConcurrentLinkedDeque<T> returned = new ConcurrentLinkedDeque<>();
    private final java.util.concurrent.atomic.AtomicLong keptForNextTake = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong receiveWaits = new java.util.concurrent.atomic.AtomicLong();
    private final Object putKey = new Object();
    private final Object takeKey = new Object();

    ShmQueue(Queue<T> queue, Supplier<Scheduler> scheduler) {
        this.queue = queue;
        this.scheduler = scheduler;
    }

    @Override
    public String name() {
        return queue.name();
    }

    @Override
    public Mono<Boolean> offer(T item) {
        Objects.requireNonNull(item, "item");
        return new WaitMono<>(() -> new Put(item, true), scheduler, null, true);
    }

    @Override
    public Mono<T> poll() {
        return WaitMono.tryOnce(Take::new, scheduler);
    }

    private @Nullable T pollNow() {
        T item = returned.pollFirst();
        return item != null ? item : queue.poll();
    }

    @Override
    public Mono<Void> put(T item) {
        Objects.requireNonNull(item, "item");
        return new WaitMono<Boolean>(() -> new Put(item, false), scheduler, null, false).then();
    }

    @Override
    public Mono<T> take() {
        return new WaitMono<>(Take::new, scheduler, null, true);
    }

    @Override
    public Mono<Void> send(Publisher<? extends T> items) {
        Objects.requireNonNull(items, "items");
        return new ShmSend<>(this, items);
    }

    /** The core queue (for the batch operations of this package). */
    Queue<T> core() {
        return queue;
    }

    /** How many more messages the queue's message bound admits now (a snapshot; the byte bound may admit fewer). */
    long room() {
        return Math.max(0, queue.capacity().messages() - queue.size());
    }

    /**
     * Arms a put of this handle on the ring's "not full" word.
     *
     * @return the value to sleep on, or {@link WaitOperation#RETRY} if there is room to try
     */
    long armPut() {
        // Arm, then check (the core protocol): a take between the poller's failed try and this
        // registration found no sleeper to wake, so it must be seen here.
        int value = queue.armNotFull();
        return queue.isFull() ? value & 0xFFFF_FFFFL : WaitOperation.RETRY;
    }

    /** Puts of this handle (single and batched) are served in arrival order under this key. */
    Object putKey() {
        return putKey;
    }

    @Override
    public Flux<T> receive() {
        return new ShmReceive<>(this);
    }

    /** Where this handle's completions run. */
    Supplier<Scheduler> scheduler() {
        return scheduler;
    }

    /**
     * Takes up to {@code max} messages that are ready now, without waiting: first those kept for
     * this handle's next take, then a batch from the ring (one compare-and-set on its head for the
     * consecutive ready records). If a message fails to decode after others were taken, those are
     * returned and {@code failure} receives the error, to be signalled after them.
     *
     * @param max     most messages to take, at least one
     * @param failure receives a decode error that follows the messages returned
     * @return the messages, oldest first; empty if none is ready
     * @throws dev.procsync.channel.QueueShutdownException if the queue is shut down and empty
     */
    List<T> takeBatch(int max, Consumer<RuntimeException> failure) {
        List<T> batch = new ArrayList<>(Math.min(max, 64));
        T kept;
        while (batch.size() < max && (kept = returned.pollFirst()) != null) {
            batch.add(kept);
        }
        try {
            if (batch.size() < max) {
                queue.drainTo(batch, max - batch.size());
            }
            if (batch.isEmpty()) {
                T one = queue.poll(); // a record still pending a commit, or the shut-down check
                if (one != null) {
                    batch.add(one);
                }
            }
        } catch (RuntimeException e) {
            if (batch.isEmpty()) {
                throw e;
            }
            failure.accept(e);
        }
        return batch;
    }

    /**
     * Gives back messages taken for a subscriber that cancelled before they were delivered: they
     * go to the front of what this handle's next take gets, in their order.
     *
     * @param batch the messages
     * @param from  the first one not delivered
     */
    void giveBack(List<T> batch, int from) {
        if (from >= batch.size()) {
            return;
        }
        for (int i = batch.size() - 1; i >= from; i--) {
            returned.addFirst(batch.get(i));
        }
        keptForNextTake.addAndGet(batch.size() - from);
        Poller.shared().nudge(); // a take asleep on the ring's word would not see a local give-back
    }

    /**
     * Arms a take of this handle on the ring's "not empty" word.
     *
     * @return the value to sleep on, or {@link WaitOperation#RETRY} if a message is there to try
     */
    long armTake() {
        // Arm, then check (the core protocol): a put between the poller's failed try and this
        // registration found no sleeper to wake, so it must be seen here.
        int value = queue.armNotEmpty();
        return returned.isEmpty() && queue.isEmpty() ? value & 0xFFFF_FFFFL : WaitOperation.RETRY;
    }

    /** The address {@link #armTake()} arms. */
    long takeAddress() {
        return queue.notEmptyAddress();
    }

    /** Takes of this handle (single and batched) are served in arrival order under this key. */
    Object takeKey() {
        return takeKey;
    }

    String describe() {
        return "queue '" + queue.name() + "'";
    }

    /** How many dequeued messages were kept for the next take because their taker cancelled (for tests). */
    long keptForNextTake() {
        return keptForNextTake.get();
    }

    /** How many times a {@code receive()} of this handle found the queue empty and waited (for tests). */
    long receiveWaits() {
        return receiveWaits.get();
    }

    void countReceiveWait() {
        receiveWaits.incrementAndGet();
    }

    @Override
    public void close() {
        T item;
        while ((item = returned.pollFirst()) != null) {
            if (!queue.offer(item)) {
                returned.addFirst(item);
                break;
            }
        }
        queue.close();
        Poller.shared().nudge();
    }

    @Override
    public String toString() {
        return "Reactive" + queue;
    }

    /**
     * One pending put (or a single offer); puts of one handle are served in order. The core try
     * may spin briefly for the producers' claim lock, so it runs on the poller thread only, never on
     * the subscriber's (possibly non-blocking) thread; it never sleeps.
     */
    private final class Put implements WaitOperation<Boolean> {
        private final T item;
        private final boolean once;
        private boolean claimBusy; // poller thread only

        Put(T item, boolean once) {
            this.item = item;
            this.once = once;
        }

        @Override
        public @Nullable Boolean tryTake(boolean sweep) {
            if (!Poller.shared().isPollerThread()) {
                return null;
            }
            // Never sleeps on the poller: a claim lock held by another producer is retried, not waited for.
            int put = queue.offerNow(item);
            if (put > 0) {
                return Boolean.TRUE;
            }
            if (put < 0) {
                claimBusy = true;
                return null;
            }
            claimBusy = false;
            return once ? Boolean.FALSE : null;
        }

        @Override
        public long arm() {
            if (claimBusy) {
                // Another producer is inside its claim for a few stores: retry (after a short poll if
                // it stays busy); sleeping on "not full" could miss the end of a claim that wakes no one.
                return RETRY;
            }
            return armPut();
        }

        @Override
        public long address() {
            return queue.notFullAddress();
        }

        @Override
        public void giveBack(Boolean taken) {
            // A put that won the race against its cancellation stays put: the message is delivered.
        }

        @Override
        public Object key() {
            return putKey;
        }

        @Override
        public String describe() {
            return ShmQueue.this.describe();
        }
    }

    /** One pending take; takes of one handle are served in order. */
    private final class Take implements WaitOperation<T> {
        @Override
        public @Nullable T tryTake(boolean sweep) {
            return pollNow();
        }

        @Override
        public long arm() {
            return armTake();
        }

        @Override
        public long address() {
            return takeAddress();
        }

        @Override
        public void giveBack(T taken) {
            keptForNextTake.incrementAndGet();
            returned.addFirst(taken);
            Poller.shared().nudge(); // a take asleep on the ring's word would not see a local give-back
        }

        @Override
        public Object key() {
            return takeKey;
        }

        @Override
        public String describe() {
            return ShmQueue.this.describe();
        }
    }
}
