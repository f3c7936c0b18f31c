package dev.procsync.reactive;

/**
 * A pair of connected {@link ReactiveConnection}s: the reactive face of
 * {@code multiprocessing.Pipe}. Each process opens the end it uses.
 *
 * @param <T> the message type
 */
public interface ReactivePipe<T> {
    /** The pipe's name. */
    String name();

    /** The first end (Python's {@code conn1}). */
    ReactiveConnection<T> first();

    /** The second end (Python's {@code conn2}). */
    ReactiveConnection<T> second();
}
