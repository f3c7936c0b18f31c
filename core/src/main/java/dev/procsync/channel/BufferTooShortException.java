package dev.procsync.channel;

import dev.procsync.ProcsyncException;
import java.io.Serial;

/**
 * Thrown by {@link Connection#recvBytesInto(java.nio.ByteBuffer)} when the next message does not fit the
 * buffer (Python's {@code BufferTooShort}). The message has been received and removed from the
 * pipe; it is carried whole by {@link #message()}, so nothing is lost.
 */
public class BufferTooShortException extends ProcsyncException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The whole message. */
    private final byte[] message;

    /**
     * Creates the exception.
     *
     * @param text    what happened, naming the pipe and both sizes
     * @param message the whole message
     */
    public BufferTooShortException(String text, byte[] message) {
        super(text);
        this.message = message;
    }

    /** The whole message that did not fit (not copied: the caller owns it). @return the message */
    public byte[] message() {
        return message;
    }
}
