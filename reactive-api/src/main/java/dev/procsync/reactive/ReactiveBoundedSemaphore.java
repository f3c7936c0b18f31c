package dev.procsync.reactive;

/**
 * A {@link ReactiveSemaphore} whose count never exceeds its initial value: a release past it
 * errors with {@link IllegalStateException} (Python's {@code BoundedSemaphore} raises ValueError).
 */
public interface ReactiveBoundedSemaphore extends ReactiveSemaphore {
    /** The bound: the initial number of permits. */
    int bound();
}
