package dev.procsync.redis;

import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * One consumer of a {@link RedisQueue}: the subscription behind {@code receive()} (and, taking once,
 * {@code poll()}). It takes one item at a time from the server, only while the subscriber's demand
 * is unmet, and hands it over on the handle's Scheduler.
 *
 * <pre>
 * Ownership: the 'taking' flag is the consumer's one token. Whoever sets it (a request, a wake-up, a
 * poll tick, the end of a take) owns the consumer until it clears it, and only the owner
 *   - sends a take (which carries the acknowledgement of the previous item),
 *   - sends a lone acknowledgement (demand ran out with an item delivered but unacknowledged),
 *   - calls the subscriber (onNext, and the one terminal signal), on the Scheduler,
 *   - retires the consumer once it is done (cancelled, failed, closed, or a poll that took once):
 *     the token is then never cleared again.
 * kick() sets 'again' before it tries for the token, and an owner that clears the token looks at
 * 'again' once more, so no wake-up, request or end is lost to a take in progress.
 * </pre>
 *
 * Cancellation: an item that arrives after the cancel is given back (retire moves it to the head of
 * the queue); a cancel that races the hand-over itself can be followed by that one {@code onNext}
 * (Reactive Streams rule 2.8), and the item then counts as delivered.
 *
 * @param <T> the item type
 */
final class RedisQueueReceiver<T> extends Flux<T> implements Subscription {
    private final RedisQueue<T> queue;
    private final boolean once;
    private final AtomicLong requested = new AtomicLong();
    private final AtomicBoolean taking = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final Disposable.Composite resources = Disposables.composite();
    private @Nullable CoreSubscriber<? super T> actual;
    private volatile @Nullable String consumer;
    /** The last item handed over and not yet acknowledged; touched by the token's owner only. */
    private byte @Nullable [] pendingAck;
    private volatile boolean again;
    private volatile boolean cancelled;
    private volatile boolean completed;
    private volatile @Nullable Throwable failure;

    RedisQueueReceiver(RedisQueue<T> queue, boolean once) {
        this.queue = queue;
        this.once = once;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> subscriber) {
        if (actual != null) {
            Operators.error(subscriber, new IllegalStateException("a queue consumer has one subscriber"));
            return;
        }
        actual = subscriber;
        subscriber.onSubscribe(this);
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            fail(new IllegalArgumentException("request must be positive (Reactive Streams rule 3.9): " + n));
            return;
        }
        requested.getAndUpdate(r -> Operators.addCap(r, n));
        if (!started.get()) {
            start();
        }
        kick();
    }

    /** Registers the consumer at the first request (nothing is registered before). */
    private synchronized void start() {
        if (started.get()) {
            return;
        }
        consumer = queue.newConsumer();
        started.set(true); // after the id: a concurrent cancel that sees 'started' retires it
        resources.add(queue.closed().subscribe(v -> { }, e -> { }, () -> fail(queue.closedError())));
        if (!once) {
            resources.add(queue.wakeups(queue.channel()).subscribe(v -> kick(), e -> { }));
            resources.add(Flux.interval(queue.pollInterval(), queue.timer()).subscribe(v -> kick(), e -> { }));
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        kick();
    }

    private void fail(Throwable error) {
        if (failure == null) {
            failure = error;
        }
        kick();
    }

    private boolean isDone() {
        return cancelled || completed || failure != null;
    }

    /** Takes the token and does the next step, unless someone else has the token. */
    private void kick() {
        again = true;
        if (!started.get()) {
            return; // nothing registered before the first request; a cancel then has nothing to give back
        }
        while (taking.compareAndSet(false, true)) {
            again = false;
            if (isDone()) {
                finish();
                return; // the token is kept: a finished consumer does nothing more
            }
            if (requested.get() > 0) {
                byte[] ack = pendingAck;
                pendingAck = null;
                queue.take(consumerId(), ack).subscribe(this::taken, this::takeFailed);
                return;
            }
            byte[] ack = pendingAck;
            if (ack != null) {
                pendingAck = null;
                // An acknowledgement whose outcome is unknown is never re-sent (a later take may have
                // brought an equal item into the list): at worst the item is delivered again.
                queue.ack(consumerId(), ack).subscribe(v -> { }, e -> release(), this::release);
                return;
            }
            taking.set(false);
            if (!again) {
                return;
            }
        }
    }

    private String consumerId() {
        String id = consumer;
        if (id == null) {
            throw new IllegalStateException("consumer not started");
        }
        return id;
    }

    private void release() {
        taking.set(false);
        kick();
    }

    /** Gives the token up after a take that got nothing: tries again only if something happened meanwhile. */
    private void releaseQuietly() {
        taking.set(false);
        if (again) {
            kick();
        }
    }

    private void taken(Optional<byte[]> result) {
        if (result.isEmpty()) {
            if (once) {
                completed = true;
                release();
            } else {
                releaseQuietly();
            }
            return;
        }
        byte[] item = result.get();
        try {
            queue.scheduler().schedule(() -> deliver(item));
        } catch (RejectedExecutionException e) {
            failure = e; // the item stays in flight: finish() gives it back
            release();
        }
    }

    private void takeFailed(Throwable error) {
        // The take may or may not have run: whatever it moved stays in flight and is given back.
        if (failure == null) {
            failure = error;
        }
        release();
    }

    private void deliver(byte[] item) {
        CoreSubscriber<? super T> subscriber = actual;
        if (isDone() || subscriber == null) {
            release(); // not handed over: finish() gives it back
            return;
        }
        T value;
        try {
            value = queue.decode(item);
        } catch (RuntimeException e) {
            pendingAck = item; // a message nobody can decode is dropped, not redelivered forever
            fail(e);
            release();
            return;
        }
        requested.getAndUpdate(r -> r == Long.MAX_VALUE ? r : r - 1);
        subscriber.onNext(value);
        pendingAck = item;
        if (once) {
            completed = true;
        }
        release();
    }

    /** Ends the consumer (the caller owns the token for good): gives back what is in flight, then signals. */
    private void finish() {
        resources.dispose();
        String id = consumer;
        if (id != null) {
            queue.retire(id, pendingAck);
            pendingAck = null;
        }
        CoreSubscriber<? super T> subscriber = actual;
        if (cancelled || subscriber == null) {
            return;
        }
        Throwable error = failure;
        Runnable signal = error != null ? () -> subscriber.onError(error) : subscriber::onComplete;
        try {
            queue.scheduler().schedule(signal);
        } catch (RejectedExecutionException e) {
            signal.run();
        }
    }
}
