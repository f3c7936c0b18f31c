package dev.procsync.channel;

import dev.procsync.layout.PipeLayout;
import dev.procsync.ClosedException;
import dev.procsync.ProcsyncException;
import dev.procsync.codec.Codec;
import dev.procsync.futex.SpinPolicy;
import dev.procsync.futex.Spinner;
import dev.procsync.internal.InternalApi;
import dev.procsync.process.ProcessId;
import dev.procsync.segment.Segment;
import dev.procsync.segment.SequenceWatch;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One end of a {@link Pipe}: sends and receives whole messages (the analogue of
 * {@code multiprocessing.connection.Connection}).
 *
 * <p>Message boundaries are kept: each {@code sendBytes} is received by exactly one
 * {@code recvBytes}, whole, in order. Messages of any length up to {@link Pipe#MAX_MESSAGE} pass,
 * streamed through the ring when larger than it. {@link #send}/{@link #recv} go through the pipe's
 * {@link Codec}. Threads of one process may share a connection: sends are serialized with each
 * other, and so are receives. A one-way pipe's A end is read-only and its B end write-only; the
 * wrong direction throws {@link WrongDirectionException} (a closed end says
 * {@link ClosedException} first).
 *
 * <h2>Waiting</h2>
 * A receive waits until a message arrives; a send waits while the ring is full. Both spin briefly
 * and then sleep on a futex word in slices (25 ms by default). Waits are interruptible before the
 * first byte of a message has moved; an interrupt in the middle of a message (only possible for
 * messages larger than the free ring space) closes this connection, because the stream could not
 * be resumed, and throws {@link InterruptedException}. {@link #poll(Duration)} waits for a message
 * without taking it.
 *
 * <h2>End of stream and dead peers</h2>
 * When the peer end is closed, or its process has died (checked after every sleep slice by pid
 * and start time), a receive first returns every complete message already in the ring and then
 * throws {@link EndOfPipeException}, as does every later receive. A peer that died in the middle of
 * a message leaves a truncated message: the receive throws {@link EndOfPipeException} saying so and
 * discards the partial bytes. A send to a closed peer throws {@link BrokenPipeException} at once; to
 * a dead peer, once the ring is full (within one slice). {@link #close()} wakes this process's
 * threads waiting on the connection with {@link ClosedException} and the peer's with end of stream.
 *
 * <h2>Memory consistency effects</h2>
 * Actions in a process before it sends a message happen-before actions in the process that
 * receives that message after the receive returns.
 *
 * @param <T> the type {@link #send}/{@link #recv} carry
 */
public final class Connection<T> implements AutoCloseable {
    private static final ProcessId ME = ProcessId.current();

    private final String pipe;
    private final Pipe.End end;
    private final Segment segment;
    private final Codec<T> codec;
    private final @Nullable PipeRing in;
    private final @Nullable PipeRing out;
    private final int mySlot;
    private final int peerSlot;
    private final Spinner recvSpinner;
    private final PipeSender sender;
    private final Object recvMonitor = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();

    Connection(String pipe, Pipe.End end, Segment segment, boolean duplex, int capacity, Codec<T> codec,
            SpinPolicy spinPolicy) {
        this.pipe = pipe;
        this.end = end;
        this.segment = segment;
        this.codec = codec;
        this.mySlot = Pipe.slot(end);
        this.peerSlot = Pipe.slot(end.peer());
        ByteBuffer view = segment.buffer();
        PipeRing ring0 = new PipeRing(segment, view, PipeLayout.RING0_CTL, PipeLayout.DATA_OFFSET, capacity);
        PipeRing ring1 = duplex ? new PipeRing(segment, view, PipeLayout.RING1_CTL,
                PipeLayout.DATA_OFFSET + capacity, capacity)
                : null;
        this.in = end == Pipe.End.A ? ring0 : ring1;
        this.out = end == Pipe.End.A ? ring1 : ring0;
        this.sender = new PipeSender(this, spinPolicy.newSpinner());
        this.recvSpinner = spinPolicy.newSpinner();
        claim();
    }

    /** Claims this end's owner word: 0 -> our pid, then our start time (release). */
    private void claim() {
        if (!segment.compareAndSetInt(mySlot, 0, ME.pid())) {
            int owner = segment.getIntAcquire(mySlot);
            String state;
            PipeEndUnavailableException.Reason reason;
            if (owner == PipeLayout.CLOSED) {
                state = "was closed (an end opens once; unlink the pipe to reuse its name)";
                reason = PipeEndUnavailableException.Reason.CLOSED;
            } else if (isAlive(owner, mySlot)) {
                state = "is already open in process " + owner;
                reason = PipeEndUnavailableException.Reason.ALREADY_OPEN;
            } else {
                state = "belonged to process " + owner + ", which died (unlink the pipe to reuse its name)";
                reason = PipeEndUnavailableException.Reason.OWNER_DIED;
            }
            throw new PipeEndUnavailableException("end " + end + " of pipe '" + pipe + "' " + state, reason);
        }
        segment.setLongRelease(mySlot + PipeLayout.SLOT_START, ME.startTime());
    }

    /** Which end this is. @return the end */
    public Pipe.End end() {
        return end;
    }

    /** The pipe's name. @return the name */
    public String pipeName() {
        return pipe;
    }

    /** Whether this end can receive. @return whether it can */
    public boolean isReadable() {
        return in != null;
    }

    /** Whether this end can send. @return whether it can */
    public boolean isWritable() {
        return out != null;
    }

    /** The pipe's segment (for the inspector and the reactive bridge). @return the segment */
    public Segment segment() {
        return segment;
    }

    /** Whether {@link #close()} has been called. @return whether closed */
    public boolean isClosed() {
        return closed.get() || segment.isClosed();
    }

    // ---- sending ----

    /**
     * Sends a whole array as one message.
     *
     * @param message the bytes
     * @throws InterruptedException  if interrupted while the ring is full
     * @throws BrokenPipeException   if the peer end is closed or its process died
     * @throws WrongDirectionException if this end is read-only
     * @throws ClosedException       if this connection is closed
     */
    public void sendBytes(byte[] message) throws InterruptedException {
        sendBytes(message, 0, message.length);
    }

    /**
     * Sends a range of an array as one message.
     *
     * @param message the bytes
     * @param offset  first byte
     * @param length  how many bytes
     * @throws IndexOutOfBoundsException if the range is outside the array (negative offset or length included)
     * @throws InterruptedException      if interrupted while the ring is full
     * @throws BrokenPipeException       if the peer end is closed or its process died
     */
    public void sendBytes(byte[] message, int offset, int length) throws InterruptedException {
        Objects.checkFromIndexSize(offset, length, message.length);
        send0(ByteBuffer.wrap(message, offset, length));
    }

    /**
     * Sends a buffer's remaining bytes as one message; its position advances to its limit.
     *
     * @param message the bytes
     * @throws IllegalArgumentException if longer than {@link Pipe#MAX_MESSAGE}
     * @throws InterruptedException     if interrupted while the ring is full
     * @throws BrokenPipeException      if the peer end is closed or its process died
     */
    public void sendBytes(ByteBuffer message) throws InterruptedException {
        send0(message);
    }

    /**
     * Encodes a value with the pipe's codec and sends it as one message. An encoding error is thrown
     * here and nothing is sent.
     *
     * @param value the value
     * @throws IllegalArgumentException if the codec cannot encode it
     * @throws InterruptedException     if interrupted while the ring is full
     * @throws BrokenPipeException      if the peer end is closed or its process died
     */
    public void send(T value) throws InterruptedException {
        send0(ByteBuffer.wrap(codec.encode(Objects.requireNonNull(value, "value"))));
    }

    private void send0(ByteBuffer payload) throws InterruptedException {
        PipeRing ring = writable();
        long length = payload.remaining();
        if (length > Pipe.MAX_MESSAGE) {
            throw new IllegalArgumentException("pipe '" + pipe + "': message of " + length
                    + " bytes exceeds the maximum of " + Pipe.MAX_MESSAGE);
        }
        sender.send(ring, payload);
    }

    /**
     * Sends a buffer's remaining bytes as one message if the whole frame (8 + length bytes) fits in
     * the outgoing ring now, for a caller that must not block (the reactive layer). Never waits: if
     * another thread of this process is sending on this end, or the ring lacks the space, nothing is
     * sent. The message must be at most {@link #outgoingCapacity()} − 8 bytes to fit at all.
     *
     * @param message the bytes; its position advances to its limit only if it was sent
     * @return whether it was sent
     * @throws BrokenPipeException   if the peer end is closed, or the ring is full and its process died
     * @throws WrongDirectionException if this end is read-only
     * @throws ClosedException       if this connection is closed
     */
    public boolean trySendBytes(ByteBuffer message) {
        return sender.trySend(writable(), message);
    }

    /** The outgoing ring's size in bytes: {@link #trySendBytes} takes messages of up to this − 8 bytes. */
    public int outgoingCapacity() {
        return writable().capacity;
    }

    /**
     * Whether a {@link #trySendBytes} of a frame of {@code frameBytes} would find the space now and
     * no other thread of this process sending (a snapshot, for a caller deciding whether to sleep).
     *
     * @param frameBytes 8 + the message length
     * @return whether it would go through now
     */
    public boolean canSendNow(long frameBytes) {
        PipeRing ring = writable();
        checkOpen();
        return sender.canSendNow(ring, frameBytes);
    }

    /** The codec {@link #send} and {@link #recv} use. @return the codec */
    public Codec<T> codec() {
        return codec;
    }

    /**
     * Registers the caller as a writer waiting for {@code frameBytes} free bytes in the outgoing ring,
     * without blocking, for a caller that sleeps elsewhere (the reactive poller): the registration a
     * blocking send makes when the ring is full, so the reader's releases wake the word once that
     * much is free (at most half the ring is waited for). Same protocol as {@link #armReceive()}: read
     * {@link SequenceWatch#sequence()}, then {@link #trySendBytes}, then sleep; close the watch once.
     *
     * @param frameBytes 8 + the message length
     * @return the registered watch
     * @throws WrongDirectionException if this end is read-only
     * @throws ClosedException       if this connection is closed
     */
    @InternalApi
    public SequenceWatch armSend(long frameBytes) {
        PipeRing ring = writable();
        checkOpen();
        return ring.watchSpace(ring.spaceWanted(frameBytes));
    }

    // ---- receiving ----

    /**
     * Receives the next message, waiting for it.
     *
     * @return its bytes
     * @throws EndOfPipeException    if the peer is closed or dead and every message has been received
     * @throws InterruptedException  if interrupted while waiting
     * @throws WrongDirectionException if this end is write-only
     * @throws ClosedException       if this connection is closed
     */
    public byte[] recvBytes() throws InterruptedException {
        return recvBytes(Pipe.MAX_MESSAGE);
    }

    /**
     * Receives the next message if it is at most {@code maxLength} bytes long.
     *
     * @param maxLength the longest message accepted, not negative
     * @return its bytes
     * @throws MessageTooLongException  if the next message is longer; it is <em>not</em> consumed and
     *                                  stays first in the pipe for a later receive
     * @throws IllegalArgumentException if {@code maxLength} is negative
     * @throws EndOfPipeException       if the peer is closed or dead and every message has been received
     * @throws InterruptedException     if interrupted while waiting
     */
    public byte[] recvBytes(int maxLength) throws InterruptedException {
        if (maxLength < 0) {
            throw new IllegalArgumentException("pipe '" + pipe + "': negative maxLength " + maxLength);
        }
        PipeRing ring = readable();
        synchronized (recvMonitor) {
            checkOpen();
            long length = awaitHeader(ring, Long.MAX_VALUE);
            if (length > maxLength) {
                throw new MessageTooLongException("pipe '" + pipe + "': next message is " + length
                        + " bytes, longer than maxLength " + maxLength + "; it stays in the pipe", length, maxLength);
            }
            byte[] message = new byte[(int) length];
            readPayload(ring, length, ByteBuffer.wrap(message));
            return message;
        }
    }

    /**
     * Receives the next message into a buffer at its position, which advances by the message length.
     *
     * @param dst the destination
     * @return the message length
     * @throws BufferTooShortException if the message is longer than {@code dst.remaining()}: the message
     *                                 is consumed and carried whole by the exception; {@code dst} is unchanged
     * @throws EndOfPipeException      if the peer is closed or dead and every message has been received
     * @throws InterruptedException    if interrupted while waiting
     */
    public int recvBytesInto(ByteBuffer dst) throws InterruptedException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("pipe '" + pipe + "': cannot receive into a read-only buffer");
        }
        PipeRing ring = readable();
        synchronized (recvMonitor) {
            checkOpen();
            long length = awaitHeader(ring, Long.MAX_VALUE);
            if (length > dst.remaining()) {
                byte[] whole = new byte[(int) length];
                readPayload(ring, length, ByteBuffer.wrap(whole));
                throw new BufferTooShortException("pipe '" + pipe + "': message of " + length
                        + " bytes does not fit the " + dst.remaining() + " bytes remaining in the buffer", whole);
            }
            readPayload(ring, length, dst);
            return (int) length;
        }
    }

    /**
     * Receives the next message and decodes it with the pipe's codec.
     *
     * @return the value
     * @throws IllegalArgumentException if the codec rejects the bytes (the message is consumed)
     * @throws EndOfPipeException       if the peer is closed or dead and every message has been received
     * @throws InterruptedException     if interrupted while waiting
     */
    public T recv() throws InterruptedException {
        return codec.decode(ByteBuffer.wrap(recvBytes()).asReadOnlyBuffer());
    }

    /**
     * Whether a receive would not block now: a message has started to arrive, or the peer is gone
     * (the receive then throws {@link EndOfPipeException}). Never blocks.
     *
     * @return whether a receive would return or throw at once
     */
    public boolean poll() {
        return poll(true);
    }

    /** {@link #poll()}, reading the peer's liveness from /proc only if {@code checkLiveness}. */
    boolean poll(boolean checkLiveness) {
        PipeRing ring = readable();
        checkOpen();
        return ring.head() - ring.tail() >= 8 || peerGone(checkLiveness);
    }

    /**
     * Registers the caller as a sleeper on the incoming ring's data word without blocking, for a
     * caller that sleeps elsewhere (the reactive poller): the same registration a blocking receive
     * makes before it sleeps, so every send of the peer from then on wakes the word. See
     * {@link SequenceWatch} for the protocol (read its sequence, then {@link #poll()}, then sleep on
     * its address; close it exactly once).
     *
     * @return the registered watch
     * @throws WrongDirectionException if this end is write-only
     * @throws ClosedException       if this connection is closed
     */
    @InternalApi
    public SequenceWatch armReceive() {
        PipeRing ring = readable();
        checkOpen();
        return ring.watchData();
    }

    /**
     * Waits at most {@code timeout} until a receive would not block (see {@link #poll()}), without
     * receiving anything. A zero or negative timeout does not wait.
     *
     * @param timeout the longest wait; zero or negative only checks
     * @return whether a message (or end of stream) is there; {@code false} on timeout
     * @throws InterruptedException     if interrupted while waiting
     */
    public boolean poll(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        boolean ready = poll();
        if (ready || timeout.isZero() || timeout.isNegative()) {
            return ready;
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        long now = System.nanoTime();
        long deadline = now + nanos < now ? Long.MAX_VALUE : now + nanos;
        PipeRing ring = readable();
        long tail = ring.tail();
        return ring.await(true, () -> ring.head() - tail >= 8, this::peerGone, deadline, recvSpinner)
                != PipeRing.Wait.TIMED_OUT;
    }

    /** Waits for a frame header; returns the message length, or -1 on timeout. */
    private long awaitHeader(PipeRing ring, long deadline) throws InterruptedException {
        long tail = ring.tail();
        PipeRing.Wait result = ring.await(true, () -> ring.head() - tail >= 8, this::peerGone, deadline, recvSpinner);
        if (result == PipeRing.Wait.TIMED_OUT) {
            return -1;
        }
        long available = ring.head() - tail;
        if (result == PipeRing.Wait.PEER_GONE) {
            if (available == 0) {
                throw new EndOfPipeException("end " + end.peer() + " of pipe '" + pipe + "' " + peerState()
                        + " and every message has been received");
            }
            ring.publishTail(tail + available, tail + available);
            throw new EndOfPipeException("end " + end.peer() + " of pipe '" + pipe + "' " + peerState()
                    + " in the middle of a message header (" + available + " of 8 bytes); the bytes are discarded");
        }
        long length = ring.readLength(tail);
        if (length < 0 || length > Pipe.MAX_MESSAGE) {
            throw new ProcsyncException("pipe '" + pipe + "' is corrupt: frame length " + length + " at stream offset "
                    + tail);
        }
        return length;
    }

    /** Consumes the header at tail and streams {@code length} payload bytes into {@code dst}. */
    private void readPayload(PipeRing ring, long length, ByteBuffer dst) throws InterruptedException {
        long tail = ring.tail() + 8;
        long end = tail + length;
        long head = ring.head();
        boolean published = false;
        try {
            while (tail < end) {
                if (head == tail) {
                    // Drained: free the ring for the writer (it may be streaming a large message), then wait.
                    ring.publishTail(tail, head);
                    published = true;
                    long at = tail;
                    PipeRing.Wait result = ring.await(true, () -> ring.head() != at, this::peerGone, Long.MAX_VALUE,
                            recvSpinner);
                    if (result == PipeRing.Wait.PEER_GONE) {
                        throw new EndOfPipeException("end " + this.end.peer() + " of pipe '" + pipe + "' "
                                + peerState() + " in the middle of a message: got " + (length - (end - tail))
                                + " of " + length + " bytes, which are discarded");
                    }
                    head = ring.head();
                    continue;
                }
                int n = (int) Math.min(head - tail, end - tail);
                ring.copyOut(tail, dst, n);
                tail += n;
            }
            ring.publishTail(tail, head);
        } catch (InterruptedException e) {
            throw interruptedMidMessage(published, "receiving");
        }
    }

    // ---- peers, state ----

    /** Whether the peer end is closed (its owner word; no /proc read). */
    boolean peerClosed() {
        return segment.getIntAcquire(peerSlot) == PipeLayout.CLOSED;
    }

    /** Whether the peer end is closed, or its owner process is dead. Reads /proc: not for hot paths. */
    boolean peerGone() {
        return peerGone(true);
    }

    /** Whether the peer end is closed or, if {@code checkLiveness}, its owner process is dead. */
    boolean peerGone(boolean checkLiveness) {
        int owner = segment.getIntAcquire(peerSlot);
        return owner == PipeLayout.CLOSED || checkLiveness && owner > 0 && !isAlive(owner, peerSlot);
    }

    private boolean isAlive(int pid, int slot) {
        if (pid == ME.pid()) {
            return true;
        }
        long start = segment.getLongAcquire(slot + PipeLayout.SLOT_START);
        // 0: the opener is between its claiming CAS and its start-time store.
        return start == 0 || ProcessId.startTimeOf(pid) == start;
    }

    String peerState() {
        return segment.getIntAcquire(peerSlot) == PipeLayout.CLOSED ? "was closed" : "died";
    }

    BrokenPipeException broken(String state) {
        return new BrokenPipeException("cannot send on end " + end + " of pipe '" + pipe + "': end " + end.peer()
                + " " + state);
    }

    InterruptedException interruptedMidMessage(boolean published, String doing) {
        if (!published) {
            return new InterruptedException("interrupted " + doing + " on end " + end + " of pipe '" + pipe + "'");
        }
        close();
        return new InterruptedException("interrupted " + doing + " in the middle of a message on end " + end
                + " of pipe '" + pipe + "': the stream cannot resume, so the connection is closed");
    }

    private PipeRing readable() {
        PipeRing ring = in;
        if (ring == null) {
            checkOpen(); // closed-ness first: a closed end used the wrong way says closed
            throw new WrongDirectionException("end " + end + " of one-way pipe '" + pipe + "' is write-only");
        }
        return ring;
    }

    private PipeRing writable() {
        PipeRing ring = out;
        if (ring == null) {
            checkOpen(); // closed-ness first: a closed end used the wrong way says closed
            throw new WrongDirectionException("end " + end + " of one-way pipe '" + pipe + "' is read-only");
        }
        return ring;
    }

    void checkOpen() {
        if (closed.get()) {
            throw new ClosedException("end " + end + " of pipe '" + pipe + "' is closed");
        }
        segment.checkOpen();
    }

    /**
     * Closes this end: marks it closed for the peer (which then sees end of stream after draining,
     * or a broken pipe), wakes every waiter on the pipe, and unmaps it. This process's threads
     * waiting on this connection fail with {@link ClosedException}. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            segment.setIntRelease(mySlot, PipeLayout.CLOSED);
            for (PipeRing ring : new PipeRing[] {in, out}) {
                if (ring != null) {
                    ring.wakeAll();
                }
            }
        } catch (ClosedException alreadyUnmapped) {
            // The namespace closed the mapping first; the peer will see this process's death instead.
        }
        segment.close();
    }

    @Override
    public String toString() {
        return "Connection[" + pipe + " " + end + (in == null ? ", write-only" : out == null ? ", read-only" : "")
                + (isClosed() ? ", closed" : "") + "]";
    }
}
