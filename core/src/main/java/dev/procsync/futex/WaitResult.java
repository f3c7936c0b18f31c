package dev.procsync.futex;

/**
 * How one futex wait ended. Callers branch on it; only {@link #WOKEN} and
 * {@link #VALUE_CHANGED} mean "look at the word again now".
 */
public enum WaitResult {
    /** A {@code FUTEX_WAKE} on the word (or a spurious wake-up) ended the wait. */
    WOKEN,
    /** The word did not hold the expected value when the wait began ({@code EAGAIN}). */
    VALUE_CHANGED,
    /** The timeout expired. */
    TIMED_OUT,
    /** A signal interrupted the wait ({@code EINTR}); the word may or may not have changed. */
    INTERRUPTED;

    /** Whether the word may have changed, so the caller should re-read it before waiting again. */
    public boolean isSuccess() {
        return this == WOKEN || this == VALUE_CHANGED;
    }
}
