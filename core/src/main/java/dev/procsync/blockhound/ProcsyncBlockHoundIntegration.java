package dev.procsync.blockhound;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Tells <a href="https://github.com/reactor/BlockHound">BlockHound</a> which procsync calls put a
 * thread to sleep, so that a blocking primitive used on a non-blocking thread (a Reactor
 * {@code parallel()} worker, a Netty event loop) is reported instead of silently stalling it.
 *
 * <p>Every sleep in procsync goes through {@link dev.procsync.futex.Futex#await} (one word) or
 * {@link dev.procsync.futex.Futex#awaitAny} (a vector of words, used only by the reactive
 * poller's own thread); both are marked blocking. Everything else in procsync is either a CAS
 * on shared memory or a {@code FUTEX_WAKE}, which never sleeps.
 *
 * <p>Loaded through {@link java.util.ServiceLoader} when an application calls
 * {@code BlockHound.install()}; BlockHound is an optional dependency of procsync-core.
 */
public final class ProcsyncBlockHoundIntegration implements BlockHoundIntegration {
    /** Creates the integration (called by the service loader). */
    public ProcsyncBlockHoundIntegration() {
    }

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.markAsBlocking("dev.procsync.futex.Futex", "await", "(JIJ)Ldev/procsync/futex/WaitResult;");
        builder.markAsBlocking("dev.procsync.futex.Futex", "awaitAny", "(Ldev/procsync/futex/WaitVector;J)I");
    }
}
