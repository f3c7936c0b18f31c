package dev.procsync.redis;

import dev.procsync.reactive.Permit;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** A permit of a Redis-backed object: released once, by whichever subscription or close comes first. */
final class RedisPermit implements Permit {
    private static final Duration CONFIRM = Duration.ofSeconds(10);

    private final AtomicBoolean released = new AtomicBoolean();
    private final Supplier<Mono<Void>> giveBack;
    private final boolean previousOwnerDied;
    private final Disposable renewal;
    private final String what;

    RedisPermit(String what, boolean previousOwnerDied, Disposable renewal, Supplier<Mono<Void>> giveBack) {
        this.what = what;
        this.previousOwnerDied = previousOwnerDied;
        this.renewal = renewal;
        this.giveBack = giveBack;
    }

    @Override
    public Mono<Void> release() {
        return Mono.defer(() -> {
            if (!released.compareAndSet(false, true)) {
                return Mono.empty();
            }
            renewal.dispose();
            return giveBack.get();
        });
    }

    /**
     * Releases now. Off Reactor's non-blocking threads this waits (boundedly) for the server to
     * confirm, so that what the caller does next sees the object released, as on shared memory; on
     * a non-blocking thread it only sends the release.
     */
    @Override
    public void close() {
        confirm(release());
    }

    /** Whether this thread may wait for the server: neither a Reactor non-blocking thread nor a Netty event loop. */
    static boolean mayBlock() {
        // Redisson's replies run on Netty event loops: blocking one can wait on the reply it would deliver.
        return !Schedulers.isInNonBlockingThread() && !(Thread.currentThread() instanceof FastThreadLocalThread);
    }

    /**
     * Runs {@code action} now; where the thread {@linkplain #mayBlock() may block}, waits (boundedly)
     * for the server to confirm it, otherwise only sends it.
     */
    static void confirm(Mono<Void> action) {
        if (!mayBlock()) {
            action.subscribe(v -> { }, e -> { });
            return;
        }
        try {
            action.block(CONFIRM);
        } catch (RuntimeException e) {
            // the command was sent; a lost connection ends the lease instead
        }
    }

    @Override
    public boolean isReleased() {
        return released.get();
    }

    /**
     * Whether the previous holder's lease expired while it held the object (it died, or was cut off
     * from the server for longer than its lease): what it protected may be half-changed.
     *
     * @return whether the previous owner died holding it
     */
    @Override
    public boolean previousOwnerDied() {
        return previousOwnerDied;
    }

    @Override
    public String toString() {
        return "Permit[" + what + (released.get() ? ", released]" : "]");
    }
}
