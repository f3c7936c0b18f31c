package dev.procsync.reactive.shm;

import dev.procsync.channel.Connection;
import dev.procsync.channel.EndOfPipeException;
import dev.procsync.reactive.ReactiveConnection;
import dev.procsync.internal.engine.Poller;
import dev.procsync.reactive.poller.WaitMono;
import dev.procsync.segment.SequenceWatch;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@link ReactiveConnection} over one end of a core pipe ({@link Connection}).
 *
 * <p>Receiving waits through the poller: a pending receive registers as a sleeper on the incoming
 * ring's data word ({@link Connection#armReceive()}, the same registration a blocking receive
 * makes), so the poller sleeps in {@code futex_waitv} until the peer sends, with no thread and no
 * timed poll per receive; a peer that dies without sending is noticed by the poller's 25 ms sweep.
 * A message is taken only on the poller thread (the core receive spins briefly even for a ready
 * frame, which must not happen on a non-blocking thread) once {@link Connection#poll()} says one
 * has started to arrive (a message longer than the ring is then finished on the poller thread as
 * the writer goes on). A message received for a subscriber that cancelled before {@code onNext}
 * is kept and handed to the next receive.
 *
 * <p>Sending is the mirror image: {@link Connection#trySendBytes} writes a message whose frame fits
 * in the free space and never waits; a send facing a full ring registers as a writer
 * ({@link Connection#armSend}) and the poller sleeps until the reader frees the space, again with
 * no thread per pending send. Only a message longer than the ring itself ({@link
 * Connection#outgoingCapacity()} − 8 bytes), which has to be streamed through it while the reader
 * drains, is sent by the blocking core send on {@link Schedulers#boundedElastic()}.
 *
 * @param <T> the message type
 */
final class ShmConnection<T> implements ReactiveConnection<T> {
    private static final Object EOF = new Object();

    private final Connection<T> connection;
    private final Supplier<Scheduler> scheduler;
    private final ConcurrentLinkedDeque<Object> returned = new ConcurrentLinkedDeque<>();
    private final Object receiveKey = new Object();
    private final Object sendKey = new Object();

    ShmConnection(Connection<T> connection, Supplier<Scheduler> scheduler) {
        this.connection = connection;
        this.scheduler = scheduler;
    }

    @Override
    public Mono<Void> send(T message) {
        Objects.requireNonNull(message, "message");
        return Mono.defer(() -> {
            ByteBuffer payload = ByteBuffer.wrap(connection.codec().encode(message));
            if (8L + payload.remaining() <= connection.outgoingCapacity()) {
                return new WaitMono<Boolean>(() -> new Send(payload), scheduler, null, false).then();
            }
            // Longer than the ring: only a streaming send gets it through, which waits for the reader.
            return Mono.<Void>fromRunnable(() -> {
                try {
                    connection.sendBytes(payload);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw Exceptions.propagate(e);
                }
            }).subscribeOn(Schedulers.boundedElastic());
        });
    }

    @Override
    @SuppressWarnings("unchecked") // only messages of type T and the EOF marker are ever emitted
    public Flux<T> receive() {
        return new WaitMono<>(Receive::new, scheduler, null, true)
                .repeat()
                .takeWhile(m -> m != EOF)
                .map(m -> (T) m);
    }

    String describe() {
        return "pipe '" + connection.pipeName() + "' end " + connection.end();
    }

    @Override
    public void close() {
        connection.close();
        Poller.shared().nudge();
    }

    @Override
    public String toString() {
        return "Reactive" + connection;
    }

    /**
     * One pending send of a message that fits in the ring; sends of one end are served (enter the
     * pipe) in subscription order.
     * It sends with {@link Connection#trySendBytes}, which never waits, and otherwise sleeps as a
     * registered writer ({@link Connection#armSend}) until the reader has freed the space (or half
     * the ring). A send that won the race against its cancellation stays sent.
     */
    private final class Send extends PipeWatchOperation<Boolean> {
        private final ByteBuffer payload;

        Send(ByteBuffer payload) {
            this.payload = payload;
        }

        @Override
        public @Nullable Boolean tryTake(boolean sweep) {
            if (!connection.trySendBytes(payload)) {
                return null;
            }
            disarm();
            return Boolean.TRUE;
        }

        @Override
        protected SequenceWatch register() {
            return connection.armSend(8L + payload.remaining());
        }

        @Override
        protected boolean readyNow() {
            return connection.canSendNow(8L + payload.remaining());
        }

        @Override
        public void giveBack(Boolean taken) {
            // Sent is sent: a send that won the race against its cancellation is delivered.
        }

        @Override
        public Object key() {
            return sendKey;
        }

        @Override
        public String describe() {
            return ShmConnection.this.describe();
        }
    }

    /** One pending receive; receives of one end are served in order. */
    private final class Receive extends PipeWatchOperation<Object> {
        @Override
        public @Nullable Object tryTake(boolean sweep) {
            Object kept = returned.pollFirst();
            if (kept != null) {
                return kept;
            }
            // The core receive spins before it reads even a ready frame: run it on the poller only,
            // never on the subscriber's (possibly non-blocking) thread.
            if (!Poller.shared().isPollerThread() || !connection.poll()) {
                return null;
            }
            Object received;
            try {
                received = connection.recv();
            } catch (EndOfPipeException e) {
                received = EOF;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            disarm();
            return received;
        }

        @Override
        protected SequenceWatch register() {
            return connection.armReceive();
        }

        @Override
        protected boolean readyNow() {
            return connection.poll();
        }

        @Override
        public void giveBack(Object taken) {
            returned.addFirst(taken);
        }

        @Override
        public Object key() {
            return receiveKey;
        }

        @Override
        public String describe() {
            return ShmConnection.this.describe();
        }
    }
}
