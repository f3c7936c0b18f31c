package dev.procsync.reactive;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One end of a pipe between processes: the reactive face of {@code multiprocessing.Connection}.
 * Messages keep their boundaries. {@link #receive()} completes when the peer closes its end (or
 * dies).
 *
 * @param <T> the message type
 */
public interface ReactiveConnection<T> extends AutoCloseable {
    /**
     * Sends one message, waiting for room as long as it takes, without holding a thread while it
     * waits. Encoding happens at subscription (an encoding error is the {@code Mono}'s error). The
     * messages of sends on one end enter the pipe in subscription order. Cancelling a send either
     * sends nothing or lets the whole message through, never part of it. Errors with a broken-pipe
     * exception when the peer end is closed or its process died.
     *
     * @param message the message
     * @return a cold {@code Mono} completing once the message is in the pipe
     */
    Mono<Void> send(T message);

    /**
     * Receives messages against outstanding demand; completes on end of file.
     *
     * @return a cold {@code Flux} of messages
     */
    Flux<T> receive();

    /** Closes this end; the peer sees end of file. */
    @Override
    void close();
}
