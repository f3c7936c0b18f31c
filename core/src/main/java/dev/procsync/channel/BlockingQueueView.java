package dev.procsync.channel;

import java.time.Duration;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The {@link BlockingQueue} face of a {@link Queue}: what {@link Queue#asBlockingQueue()} returns.
 * The contract is written there.
 *
 * @param <T> the message type
 */
final class BlockingQueueView<T> extends AbstractQueue<T> implements BlockingQueue<T> {
    private final Queue<T> queue;

    BlockingQueueView(Queue<T> queue) {
        this.queue = queue;
    }

    private static UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(what + " is not supported by a procsync queue: its messages live"
                + " in a ring in shared memory that other processes take from concurrently, with no snapshot to"
                + " walk; only the head can be taken (poll, take, drainTo)");
    }

    private void interruptedOnEntry(String action) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before " + action + " " + queue.ring.what);
        }
    }

    // ---- putting ----

    @Override
    public boolean offer(T message) {
        Objects.requireNonNull(message, "message");
        return queue.offer(message);
    }

    @Override
    public void put(T message) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        interruptedOnEntry("putting into");
        queue.put(message);
    }

    @Override
    public boolean offer(T message, long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(unit, "unit");
        interruptedOnEntry("offering to");
        long nanos = unit.toNanos(timeout);
        return nanos <= 0 ? queue.offer(message) : queue.offer(message, Duration.ofNanos(nanos));
    }

    // ---- taking ----

    @Override
    public @Nullable T poll() {
        return queue.poll();
    }

    @Override
    public T take() throws InterruptedException {
        interruptedOnEntry("taking from");
        return queue.get();
    }

    @Override
    public @Nullable T poll(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        interruptedOnEntry("polling");
        long nanos = unit.toNanos(timeout);
        return nanos <= 0 ? queue.poll() : queue.poll(Duration.ofNanos(nanos));
    }

    @Override
    public int drainTo(Collection<? super T> sink) {
        return drainTo(sink, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super T> sink, int maxElements) {
        Objects.requireNonNull(sink, "sink");
        if (sink == this) {
            throw new IllegalArgumentException("cannot drain " + queue.ring.what + " into itself");
        }
        return maxElements <= 0 ? 0 : queue.drainTo(sink, maxElements);
    }

    @Override
    public @Nullable T peek() {
        throw unsupported("peek()");
    }

    // ---- state ----

    @Override
    public int size() {
        return queue.size();
    }

    @Override
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    @Override
    public int remainingCapacity() {
        long left = queue.capacity().messages() - queue.size();
        return (int) Math.max(0, Math.min(left, Integer.MAX_VALUE));
    }

    // ---- what a ring shared with other processes cannot do ----

    @Override
    public Iterator<T> iterator() {
        throw unsupported("iterator()");
    }

    @Override
    public boolean contains(@Nullable Object o) {
        throw unsupported("contains(Object)");
    }

    @Override
    public boolean remove(@Nullable Object o) {
        throw unsupported("remove(Object)");
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        throw unsupported("removeAll(Collection)");
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        throw unsupported("retainAll(Collection)");
    }

    @Override
    public Object[] toArray() {
        throw unsupported("toArray()");
    }

    @Override
    public <A> A[] toArray(A[] a) {
        throw unsupported("toArray(T[])");
    }

    @Override
    public String toString() {
        return "BlockingQueue view of " + queue;
    }
}
