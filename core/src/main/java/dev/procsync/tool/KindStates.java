package dev.procsync.tool;

import dev.procsync.segment.SegmentHeader;

/**
 * Kind-specific state for the inspector, read from the layouts documented at the top of each
 * primitive's class (and in docs/layout). A kind without an entry here is shown with its generic
 * header only.
 */
final class KindStates {
    private static final int BODY = SegmentHeader.LENGTH;
    private static final int PID_MASK = (1 << 22) - 1;
    private static final int SLEEPERS = 1 << 30;

    private KindStates() {
    }

    static void describe(SegmentReport r) {
        switch (r.kind) {
            case LOCK:
                lock(r);
                break;
            default:
                r.state.put("note", "state of " + r.kind + " not decoded by this inspector; header only");
        }
    }

    /** Lock: state word (pid | SLEEPERS) at 128, ownerDied at 132, owner start time at 136. */
    private static void lock(SegmentReport r) {
        int word = r.intAt(BODY);
        int pid = word & PID_MASK;
        r.state.put("locked", pid != 0);
        if (pid != 0) {
            r.state.put("ownerPid", pid);
            r.state.put("owner", SegmentReport.liveness(pid, r.longAt(BODY + 8)));
            r.state.put("sleepers", (word & SLEEPERS) != 0);
            r.state.put("takenFromDeadOwner", r.intAt(BODY + 4) != 0);
        }
    }

    /** Whether the report shows a lock held by a process that is gone. */
    static boolean isLockWithDeadOwner(SegmentReport r) {
        return r.problem == null && r.kind != null && "LOCK".equals(r.kind.name())
                && Boolean.TRUE.equals(r.state.get("locked"))
                && String.valueOf(r.state.get("owner")).startsWith("dead");
    }
}
