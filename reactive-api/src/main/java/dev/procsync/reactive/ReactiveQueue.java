package dev.procsync.reactive;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A bounded multi-producer multi-consumer queue shared between processes: the reactive face of
 * {@code multiprocessing.Queue}.
 *
 * <p>{@link #receive()} takes items from shared memory only against outstanding demand: an item
 * is dequeued only when the subscriber has requested it, and an item dequeued for a subscriber
 * that cancels before {@code onNext} is put back, never lost. A cancel that races the delivery
 * itself may still be followed by that one {@code onNext}, as Reactive Streams allows (rule 2.8):
 * a subscriber that must account for every item records it even after cancelling. Reactor
 * operators that cancel on their own, such as {@code take(Duration)} or {@code timeout}, discard
 * such a late item ({@code Hooks.onNextDropped}). {@link #send(Publisher)} requests
 * from the source only as the queue has room, so a fast producer is held back by the queue's
 * capacity.
 *
 * <p><b>Delivery.</b> Shared memory: exactly once; a consumer process that dies after it took an
 * item has taken it (the item dies with it). Redis: at least once; a taken item stays in a
 * per-consumer in-flight list until it has been handed to the subscriber, and items in flight
 * with a consumer whose lease expired are moved back to the head of the queue, so an item can be
 * delivered twice when a consumer dies (or is cut off past its lease) between handing it over and
 * the next take. Items are delivered in put order from one producer, except for such redeliveries.
 *
 * <p>Memory consistency effects: actions before a {@code put} happen-before the actions after the
 * {@code take} that received the item.
 *
 * @param <T> the item type
 */
public interface ReactiveQueue<T> extends AutoCloseable {
    /** The queue's name. */
    String name();

    /**
     * Puts one item if there is room now.
     *
     * @param item the item
     * @return a cold {@code Mono} of whether it was put
     */
    Mono<Boolean> offer(T item);

    /**
     * Takes one item if one is there now.
     *
     * @return a cold {@code Mono} of the item, empty if the queue is empty
     */
    Mono<T> poll();

    /**
     * Puts one item, waiting for room as long as it takes.
     *
     * @param item the item
     * @return a cold {@code Mono} completing once put
     */
    Mono<Void> put(T item);

    /**
     * Takes one item, waiting as long as it takes.
     *
     * @return a cold {@code Mono} of the item
     */
    Mono<T> take();

    /**
     * Sends every item of {@code items}, requesting from it only while the queue has room.
     *
     * <p><b>Demand.</b> Nothing is requested from {@code items} before this {@code Mono} is
     * requested. A backend may request ahead up to what the queue has room for (shared memory:
     * at most 64 items, and one item once the queue is full) and put the items it holds as one
     * batch (shared memory claims the records that fit with one atomic operation), but it never
     * holds more than the queue's capacity beyond what it has put.
     *
     * <p><b>Cancellation and errors.</b> Cancelling stops the send and cancels {@code items}: the
     * items put so far stay put, in order; items received but not yet put are not put. A put
     * that won its race against the cancel stays put, so a few more items of the last batch may
     * appear just after the cancel. An error of {@code items} ends the send with that error;
     * shared memory first puts every item received before it. A queue error (shut down, closed
     * handle) or an item the codec refuses ends the send at once, with {@code items} cancelled.
     *
     * @param items the items
     * @return a cold {@code Mono} completing when {@code items} completes and all are put
     */
    Mono<Void> send(Publisher<? extends T> items);

    /**
     * Receives items as they arrive, dequeuing only against outstanding demand. Never completes
     * unless the handle is closed (then errors with the backend's closed-handle exception).
     *
     * <p><b>Demand.</b> Nothing is dequeued before the first {@code request(n)}. A backend may take
     * up to the outstanding demand at once (shared memory takes the ready items in batches of up
     * to {@code min(demand, 256)} with one atomic operation, and waits once per empty queue, not
     * once per item), but never more: {@code onNext} is never called more times than requested.
     * Use {@code limitRate(n)} to bound how many items one subscriber holds taken at a time.
     *
     * <p><b>Cancellation.</b> Items taken for this subscriber and not yet passed to {@code onNext}
     * when it cancels are given back, in order: on shared memory to the front of this handle's
     * next take, {@code poll} or {@code receive} (and to the shared queue when the handle is
     * closed); a backend with at-least-once delivery may instead redeliver them. The one item
     * whose {@code onNext} is already under way when the cancel arrives is still delivered (see
     * the class description).
     *
     * @return a cold {@code Flux} of items
     */
    Flux<T> receive();

    /** Closes this handle. */
    @Override
    void close();
}
