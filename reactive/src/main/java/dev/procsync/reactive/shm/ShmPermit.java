package dev.procsync.reactive.shm;

import dev.procsync.reactive.Permit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;

/** A {@link Permit} that runs a release action once. */
final class ShmPermit implements Permit {
    private final AtomicBoolean released = new AtomicBoolean();
    private final Runnable releaseAction;
    private final Runnable giveBackAction;
    private final String description;
    private final boolean ownerDied;

    ShmPermit(Runnable releaseAction, String description) {
        this(releaseAction, releaseAction, false, description);
    }

    /**
     * A permit whose undelivered give-back differs from its release: a lock hold taken over from a
     * dead holder and given back unused (its subscriber was cancelled) must pass the owner-died
     * signal on to the next holder instead of clearing it, since nobody repaired anything.
     */
    ShmPermit(Runnable releaseAction, Runnable giveBackAction, boolean ownerDied, String description) {
        this.ownerDied = ownerDied;
        this.releaseAction = releaseAction;
        this.giveBackAction = giveBackAction;
        this.description = description;
    }

    /** Returns a permit that was never delivered to its subscriber (exactly once, like close). */
    void giveBack() {
        if (!released.getAndSet(true)) {
            giveBackAction.run();
        }
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
    public boolean previousOwnerDied() {
        return ownerDied;
    }

    @Override
    public Mono<Void> releaseKeepingOwnerDied() {
        return Mono.fromRunnable(this::giveBack); // the give-back action keeps the signal
    }

    @Override
    public boolean isReleased() {
        return released.get();
    }

    @Override
    public String toString() {
        return "Permit[" + description + (ownerDied ? ", previous owner died" : "")
                + (released.get() ? ", released" : "") + "]";
    }
}
