package dev.procsync.reactive.shm;

import dev.procsync.reactive.Permit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;

/** A {@link Permit} that runs a release action once. */
final class ShmPermit implements Permit {
    private final AtomicBoolean released = new AtomicBoolean();
    private final Runnable releaseAction;
    private final String description;

    ShmPermit(Runnable releaseAction, String description) {
        this.releaseAction = releaseAction;
        this.description = description;
    }

    @Override
    public Mono<Void> release() {
        return Mono.fromRunnable(this::close);
    }

    @Override
    public void close() {
        // getAndSet: exactly one caller, whatever the thread, runs the release.
        if (!released.getAndSet(true)) {
            releaseAction.run();
        }
    }

    @Override
    public boolean isReleased() {
        return released.get();
    }

    @Override
    public String toString() {
        return "Permit[" + description + (released.get() ? ", released" : "") + "]";
    }
}
