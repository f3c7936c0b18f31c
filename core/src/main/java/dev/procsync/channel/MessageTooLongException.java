package dev.procsync.channel;

import dev.procsync.ProcsyncException;
import java.io.Serial;

/**
 * Thrown by {@link Connection#recvBytes(int)} when the next message is longer than the limit
 * (Python raises {@code OSError("bad message length")} and leaves the connection unusable). Here
 * the message is <em>not</em> consumed: it stays first in the pipe, and the next receive with a
 * large enough limit (or {@link Connection#recvBytes()}) returns it.
 */
public class MessageTooLongException extends ProcsyncException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The waiting message's length. */
    private final long length;
    /** The limit it exceeded. */
    private final int maxLength;

    /**
     * Creates the exception.
     *
     * @param text      what happened, naming the pipe
     * @param length    the waiting message's length
     * @param maxLength the limit it exceeded
     */
    public MessageTooLongException(String text, long length, int maxLength) {
        super(text);
        this.length = length;
        this.maxLength = maxLength;
    }

    /** The waiting message's length in bytes. @return the length */
    public long length() {
        return length;
    }

    /** The limit it exceeded. @return the limit */
    public int maxLength() {
        return maxLength;
    }
}
