package dev.procsync.futex;

import java.util.function.BooleanSupplier;

/**
 * The spin phase of a wait, per primitive handle. {@link #spin(BooleanSupplier)} polls a condition
 * with {@link Thread#onSpinWait()} for the current budget; with an adaptive policy the budget
 * follows a running average of the spins that recently sufficed (plain fields: a racy estimate is
 * fine, it only steers a heuristic).
 */
public final class Spinner {
    private final SpinPolicy policy;
    private int average;

    Spinner(SpinPolicy policy) {
        this.policy = policy;
        this.average = policy.isAdaptive() ? Math.min(100, policy.maxSpins()) : policy.maxSpins();
    }

    /** The policy this spinner follows. */
    public SpinPolicy policy() {
        return policy;
    }

    /**
     * Spins until {@code done} returns true or the budget is spent.
     *
     * @param done the condition; called once per round
     * @return whether it became true
     */
    public boolean spin(BooleanSupplier done) {
        int limit = policy.isAdaptive() ? Math.min(policy.maxSpins(), average * 2 + 10) : policy.maxSpins();
        for (int i = 0; i < limit; i++) {
            if (done.getAsBoolean()) {
                if (policy.isAdaptive()) {
                    average += (i - average) / 8;
                }
                return true;
            }
            Thread.onSpinWait();
        }
        if (policy.isAdaptive()) {
            average += (limit - average) / 8;
        }
        return false;
    }
}
