package dev.procsync.channel;

import dev.procsync.futex.Spinner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sending side of a {@link Connection}: frames written into the outgoing {@link PipeRing}
 * by this end, the only writer of that ring. Threads of the process serialise on a lock; a
 * blocking send streams a frame through a full ring while the reader drains it, the non-blocking
 * {@link #trySend} writes a whole frame that fits now or nothing. The stream format and the
 * writer's protocol are drawn in {@link PipeRing} and docs/layout/data-pipe.md.
 */
final class PipeSender {
    private final Connection<?> connection;
    private final Spinner spinner;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    /** The ring's tail as this (only) writer last read it; guarded by sendLock. */
    private long tailSeen;

    PipeSender(Connection<?> connection, Spinner spinner) {
        this.connection = connection;
        this.spinner = spinner;
    }

    /** Sends one message (its length checked by the caller), waiting for room as long as it takes. */
    void send(PipeRing ring, ByteBuffer payload) throws InterruptedException {
        long length = payload.remaining();
        sendLock.lockInterruptibly();
        try {
            connection.checkOpen();
            if (connection.peerClosed()) {
                throw connection.broken("is closed");
            }
            header.clear();
            header.putLong(0, length);
            long head = ring.head();
            // A stale tail only understates the free space: re-read it (a cache miss) only when the ring looks full.
            long tail = tailSeen;
            long start = head;
            long frameLeft = 8 + length;
            boolean published = false;
            try {
                for (ByteBuffer part : new ByteBuffer[] {header, payload}) {
                    while (part.hasRemaining()) {
                        long free = ring.capacity - (head - tail);
                        if (free <= 0) {
                            tail = ring.tail();
                            free = ring.capacity - (head - tail);
                        }
                        if (free <= 0) {
                            // Full: let the reader have what we wrote so far, then wait for space.
                            ring.publishHead(head);
                            published = head != start;
                            tail = awaitSpace(ring, head, ring.spaceWanted(frameLeft));
                            continue;
                        }
                        int n = (int) Math.min(free, part.remaining());
                        ring.copyIn(head, part, n);
                        head += n;
                        frameLeft -= n;
                    }
                }
                ring.publishHead(head);
            } catch (InterruptedException e) {
                throw connection.interruptedMidMessage(published, "sending");
            } finally {
                tailSeen = tail;
            }
        } finally {
            sendLock.unlock();
        }
    }

    /** See {@link Connection#trySendBytes}: a whole frame that fits now, or nothing; never waits. */
    boolean trySend(PipeRing ring, ByteBuffer message) {
        long frame = 8L + message.remaining();
        if (frame > ring.capacity || !sendLock.tryLock()) {
            return false;
        }
        try {
            connection.checkOpen();
            if (connection.peerClosed()) {
                throw connection.broken("is closed");
            }
            long head = ring.head();
            if (ring.capacity - (head - tailSeen) < frame) {
                tailSeen = ring.tail();
                if (ring.capacity - (head - tailSeen) < frame) {
                    if (connection.peerGone()) { // /proc is read only here, when the ring is full
                        throw connection.broken(connection.peerState());
                    }
                    return false;
                }
            }
            header.clear();
            header.putLong(0, frame - 8);
            ring.copyIn(head, header, 8);
            ring.copyIn(head + 8, message, (int) (frame - 8));
            ring.publishHead(head + frame);
            return true;
        } finally {
            sendLock.unlock();
        }
    }

    /** See {@link Connection#canSendNow}: room for the frame and no other thread of ours sending. */
    boolean canSendNow(PipeRing ring, long frameBytes) {
        return !sendLock.isLocked() && ring.capacity - (ring.head() - ring.tail()) >= frameBytes;
    }

    private long awaitSpace(PipeRing ring, long head, long wanted) throws InterruptedException {
        ring.setWriterWants(wanted);
        PipeRing.Wait result = ring.await(false, () -> ring.capacity - (head - ring.tail()) >= wanted,
                connection::peerGone, Long.MAX_VALUE, spinner);
        if (result == PipeRing.Wait.PEER_GONE) {
            throw connection.broken(connection.peerClosed() ? "is closed" : "died");
        }
        return ring.tail();
    }
}
