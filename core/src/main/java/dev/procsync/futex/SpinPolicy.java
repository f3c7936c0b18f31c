package dev.procsync.futex;

/**
 * How long a waiter spins on a shared word before it sleeps in the kernel.
 *
 * <p>On the reference 2-vCPU VM a cross-process futex wake-up costs ~45–55 µs round trip while a
 * peer on the other CPU answers a spinning waiter in ~0.12 µs (DESIGN §4). Spinning a little
 * therefore pays when the peer is running and costs at most the spin budget when it is not.
 * {@link #adaptive()} keeps, per primitive handle, a running estimate of how many spins recently
 * sufficed (in the manner of glibc's adaptive mutex) and spins up to twice that, bounded.
 *
 * <p>{@link #sliceNanos()} bounds one kernel sleep: waits are cut into slices so that interrupts,
 * {@code close()} and the owner-liveness sweep are noticed within one slice.
 */
public final class SpinPolicy {
    private static final long DEFAULT_SLICE_NANOS = 25_000_000L;

    private final int maxSpins;
    private final boolean adaptive;
    private final long sliceNanos;

    private SpinPolicy(int maxSpins, boolean adaptive, long sliceNanos) {
        this.maxSpins = maxSpins;
        this.adaptive = adaptive;
        this.sliceNanos = sliceNanos;
    }

    /** Adaptive spinning of up to 1,000 {@link Thread#onSpinWait()} rounds, 25 ms sleep slices. */
    public static SpinPolicy adaptive() {
        return new SpinPolicy(1_000, true, DEFAULT_SLICE_NANOS);
    }

    /** No spinning: sleep at once (the CPython behaviour). */
    public static SpinPolicy none() {
        return new SpinPolicy(0, false, DEFAULT_SLICE_NANOS);
    }

    /**
     * A fixed spin budget.
     *
     * @param spins rounds of {@link Thread#onSpinWait()} before sleeping, 0..1,000,000
     * @return the policy
     */
    public static SpinPolicy fixed(int spins) {
        if (spins < 0 || spins > 1_000_000) {
            throw new IllegalArgumentException("spins must be 0..1000000: " + spins);
        }
        return new SpinPolicy(spins, false, DEFAULT_SLICE_NANOS);
    }

    /**
     * A copy with another sleep slice.
     *
     * @param nanos longest single kernel sleep, 1 ms..1 s
     * @return the copy
     */
    public SpinPolicy withSliceNanos(long nanos) {
        if (nanos < 1_000_000L || nanos > 1_000_000_000L) {
            throw new IllegalArgumentException("slice must be 1 ms..1 s: " + nanos + " ns");
        }
        return new SpinPolicy(maxSpins, adaptive, nanos);
    }

    /** Most spin rounds. */
    public int maxSpins() {
        return maxSpins;
    }

    /** Whether the budget adapts to recent success. */
    public boolean isAdaptive() {
        return adaptive;
    }

    /** Longest single kernel sleep. */
    public long sliceNanos() {
        return sliceNanos;
    }

    /** Per-handle spin state following this policy. Not shared between threads' decisions strictly. */
    public Spinner newSpinner() {
        return new Spinner(this);
    }

    @Override
    public String toString() {
        return "SpinPolicy[max=" + maxSpins + (adaptive ? ", adaptive" : "") + ", slice=" + sliceNanos / 1_000_000
                + "ms]";
    }
}
