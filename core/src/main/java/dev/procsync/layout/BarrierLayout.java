package dev.procsync.layout;

/**
 * Barrier (kind 7); param 0 = parties (1..65535).
 *
 * <pre>
 *  offset      size  field
 *  128         4     state (futex word): count bits 0-15, phase bits 16-17, generation bits 18-29
 *  132         60    reserved
 *  192 + 16i   4     slot i pid: the party that arrived i-th in the current round; 0 = empty or left
 *  196 + 16i   4     reserved
 *  200 + 16i   8     slot i start time (written before the pid, which is a release store)
 * </pre>
 */
public final class BarrierLayout {
    /** Kind code. */
    public static final int KIND = 7;
    /** Layout version. */
    public static final int VERSION = 1;
    /** Most parties. */
    public static final int MAX_PARTIES = 0xffff;
    /** The futex word. */
    public static final int STATE_OFFSET = HeaderLayout.LENGTH;
    /** Slot 0, on the second cache line of the body. */
    public static final int SLOTS_OFFSET = HeaderLayout.LENGTH + 64;
    /** Bytes per slot. */
    public static final int SLOT_LENGTH = 16;
    /** Phase: parties arrive. */
    public static final int FILLING = 0;
    /** Phase: tripped, parties leave. */
    public static final int DRAINING = 1;
    /** Phase: reset while parties waited; they fail and leave. */
    public static final int RESETTING = 2;
    /** Phase: broken. */
    public static final int BROKEN = 3;
    /** State bits holding the count. */
    public static final int COUNT_MASK = 0xffff;
    /** Shift of the phase bits. */
    public static final int PHASE_SHIFT = 16;
    /** Shift of the generation bits. */
    public static final int GEN_SHIFT = 18;
    /** Generation bits after the shift. */
    public static final int GEN_MASK = 0xfff;

    /** The table. */
    public static final LayoutDescriptor DESCRIPTOR = LayoutDescriptor.builder("BARRIER", "Barrier", KIND)
            .version(VERSION)
            .field("state", STATE_OFFSET, 4, "futex word: count bits 0–15, phase bits 16–17, generation bits 18–29")
            .field("reserved", STATE_OFFSET + 4, SLOTS_OFFSET - STATE_OFFSET - 4, "0")
            .slot("pid", SLOTS_OFFSET, 4, SLOT_LENGTH, LayoutDescriptor.VARIABLE,
                    "slot i (i < parties): pid of the party that arrived i-th this round; 0 = empty or left")
            .slot("reserved", SLOTS_OFFSET + 4, 4, SLOT_LENGTH, LayoutDescriptor.VARIABLE, "0")
            .slot("start", SLOTS_OFFSET + 8, 8, SLOT_LENGTH, LayoutDescriptor.VARIABLE,
                    "slot i start time (written before the pid, which is a release store)")
            .constant("MAX_PARTIES", MAX_PARTIES, "most parties (param 0)")
            .constant("COUNT_MASK", COUNT_MASK, "state bits 0–15: arrived parties")
            .constant("PHASE_SHIFT", PHASE_SHIFT, "state bits 16–17: phase")
            .constant("GEN_SHIFT", GEN_SHIFT, "state bits 18–29: generation")
            .constant("GEN_MASK", GEN_MASK, "generation bits after the shift (wraps at 4096)")
            .constant("FILLING", FILLING, "phase: parties arrive")
            .constant("DRAINING", DRAINING, "phase: tripped, parties leave")
            .constant("RESETTING", RESETTING, "phase: reset while parties waited; they fail and leave")
            .constant("BROKEN", BROKEN, "phase: broken")
            .build(LayoutDescriptor.VARIABLE);

    private BarrierLayout() {
    }

    /**
     * Body bytes for a number of parties.
     *
     * @param parties 1..{@link #MAX_PARTIES}
     * @return the body length
     */
    public static int bodyLength(int parties) {
        return SLOTS_OFFSET - HeaderLayout.LENGTH + parties * SLOT_LENGTH;
    }
}
