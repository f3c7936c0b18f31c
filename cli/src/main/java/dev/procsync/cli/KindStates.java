package dev.procsync.cli;

import dev.procsync.layout.HeaderLayout;
import dev.procsync.layout.SemaphoreLayout;

/**
 * Kind-specific state for the inspector, read from the layouts documented at the top of each
 * primitive's class (and in docs/layout). A kind without an entry here is shown with its generic
 * header only.
 */
final class KindStates {
    private static final int BODY = HeaderLayout.LENGTH;
    private static final int PID_MASK = (1 << 22) - 1;
    private static final int SLEEPERS = 1 << 30;

    private KindStates() {
    }

    static void describe(SegmentReport r) {
        switch (r.kind) {
            case LOCK:
                lock(r);
                break;
            case RLOCK:
                lock(r);
                if (Boolean.TRUE.equals(r.state.get("locked"))) {
                    r.state.put("ownerThread", r.longAt(BODY + 16) & 0xffff_ffffL);
                    r.state.put("holdCount", r.intAt(BODY + 24));
                }
                break;
            case SEMAPHORE:
            case BOUNDED_SEMAPHORE:
                r.state.put(r.kind.name().startsWith("BOUNDED") ? "bound" : "initialPermits", r.param(0));
                r.state.put("permits", r.intAt(BODY) & 0xffff_ffffL);
                r.state.put("sleepers", r.intAt(BODY + 4) & 0xffff);
                r.state.put("manyPermitSleepers", r.intAt(BODY + 4) >>> 16);
                if (r.param(SemaphoreLayout.PARAM_UNDO_SLOTS) != 0) {
                    undoLedger(r);
                }
                break;
            case EVENT:
                r.state.put("set", (r.intAt(BODY) & 1) != 0);
                r.state.put("timesSet", (r.intAt(BODY) >>> 1));
                r.state.put("waiters", r.intAt(BODY + 4) & 0xffff_ffffL);
                break;
            case CONDITION:
                r.state.put("waiters", r.intAt(BODY));
                break;
            case BARRIER:
                barrier(r);
                break;
            case PIPE:
                pipe(r);
                break;
            case QUEUE:
            case JOINABLE_QUEUE:
            case SIMPLE_QUEUE:
                queue(r);
                break;
            case VALUE:
                value(r);
                break;
            case ARRAY:
                array(r);
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

    /** Barrier (docs/layout/sync-a.md): state bits 0-15 count, 16-17 phase, 18-29 generation; slots at 192. */
    private static void barrier(SegmentReport r) {
        int word = r.intAt(BODY);
        long parties = r.param(0);
        r.state.put("parties", parties);
        r.state.put("waiting", word & 0xffff);
        r.state.put("phase", new String[] {"FILLING", "DRAINING", "RESETTING", "BROKEN"}[(word >>> 16) & 3]);
        r.state.put("generation", (word >>> 18) & 0xfff);
        StringBuilder slots = new StringBuilder();
        for (int i = 0; i < parties && 192 + 16 * i + 16 <= r.bytes.limit(); i++) {
            int pid = r.intAt(192 + 16 * i);
            if (pid != 0) {
                slots.append(slots.length() == 0 ? "" : ", ").append(pid).append(" (")
                        .append(SegmentReport.liveness(pid, r.longAt(200 + 16 * i))).append(')');
            }
        }
        r.state.put("parties in round", "[" + slots + "]");
    }

    /** Pipe (docs/layout/data-pipe.md): end owners at 192/256, ring controls at 320/512 (head +0, tail +64). */
    private static void pipe(SegmentReport r) {
        r.state.put("capacity", r.param(0));
        r.state.put("duplex", r.param(1) != 0);
        r.state.put("endA", pipeEnd(r, 192));
        r.state.put("endB", pipeEnd(r, 256));
        r.state.put("bufferedBtoA", r.longAt(320) - r.longAt(320 + 64));
        if (r.param(1) != 0) {
            r.state.put("bufferedAtoB", r.longAt(512) - r.longAt(512 + 64));
        }
    }

    /** Queues (docs/layout/queue.md): claim lock 128/136, putTotal 152, inside 168, head 192, flags 384.., tail 512. */
    private static void queue(SegmentReport r) {
        long tail = r.longAt(512);
        long head = r.longAt(192);
        r.state.put("capacityBytes", r.param(0));
        r.state.put("capacityMessages", r.param(1));
        r.state.put("ringBytes", Long.highestOneBit(Math.max(1, r.param(0) - 1)) << 1); // Ring.ringSize: reserved
        r.state.put("depth", (tail - head) & 0xFF_FFFFL);
        r.state.put("usedBytes", (((tail >>> 24) - (head >>> 24)) & ((1L << 40) - 1)) * 16);
        r.state.put("putTotal", r.longAt(152));
        int claimWord = r.intAt(128);
        int claim = claimWord & PID_MASK;
        boolean biased = (claimWord & (1 << 29)) != 0; // QueueLayout.BIASED: kept between puts by one handle
        r.state.put("claimLock", claim == 0 ? "free" : (biased ? "biased to " : "held by ") + claim + " ("
                + SegmentReport.liveness(claim, r.longAt(136)) + ")"
                + (biased && r.intAt(168) != 0 ? ", claiming" : ""));
        r.state.put("shutdown", r.intAt(384) != 0);
        r.state.put("skippedRecords", r.longAt(408));
        if (r.kind.name().equals("JOINABLE_QUEUE")) {
            r.state.put("unfinishedTasks", r.longAt(152) - r.longAt(392));
        }
        int codecLength = Math.max(0, Math.min(60, r.intAt(448)));
        byte[] codec = new byte[codecLength];
        r.bytes.get(452, codec);
        r.state.put("codec", new String(codec, java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static String pipeEnd(SegmentReport r, int offset) {
        int owner = r.intAt(offset);
        if (owner == 0) {
            return "never opened";
        }
        if (owner == -1) {
            return "closed";
        }
        return "pid " + owner + " (" + SegmentReport.liveness(owner, r.longAt(offset + 8)) + ")";
    }

    /** Undo-on-death semaphore (docs/layout/sync-b.md): book, orphans, recovered, holder slots. */
    private static void undoLedger(SegmentReport r) {
        long slots = r.param(SemaphoreLayout.PARAM_UNDO_SLOTS);
        r.state.put("mode", "undoOnDeath(" + slots + ")");
        int book = r.intAt(SemaphoreLayout.BOOK_OFFSET);
        int bookPid = book & PID_MASK;
        r.state.put("book", bookPid == 0 ? "free" : "held by " + bookPid + " ("
                + SegmentReport.liveness(bookPid, r.longAt(SemaphoreLayout.BOOK_START_OFFSET)) + ")");
        r.state.put("journal", r.intAt(SemaphoreLayout.JOURNAL_OFFSET) == 0 ? "empty"
                : "slot " + (r.intAt(SemaphoreLayout.JOURNAL_OFFSET) - 1) + " (an update cut short: rolled back "
                        + "by the next book holder)");
        r.state.put("orphans", r.intAt(SemaphoreLayout.ORPHANS_OFFSET) & 0xffff_ffffL);
        r.state.put("recovered", r.longAt(SemaphoreLayout.RECOVERED_OFFSET));
        StringBuilder holders = new StringBuilder();
        int deadPermits = 0;
        for (int i = 0; i < slots; i++) {
            int base = SemaphoreLayout.SLOTS_OFFSET + i * SemaphoreLayout.SLOT_LENGTH;
            if (base + SemaphoreLayout.SLOT_LENGTH > r.bytes.limit()) {
                holders.append(holders.length() == 0 ? "" : ", ").append("(slots past the first page not shown)");
                break;
            }
            int pid = r.intAt(base + SemaphoreLayout.SLOT_PID);
            if (pid != 0) {
                int held = r.intAt(base + SemaphoreLayout.SLOT_HELD);
                String alive = SegmentReport.liveness(pid, r.longAt(base + SemaphoreLayout.SLOT_START));
                if (alive.startsWith("dead")) {
                    deadPermits += held;
                }
                holders.append(holders.length() == 0 ? "" : ", ").append(pid).append(" holds ").append(held)
                        .append(" (").append(alive).append(')');
            }
        }
        r.state.put("holders", "[" + holders + "]");
        r.state.put("permitsOfDeadHolders", deadPermits);
    }

    /** Whether the report shows an undo-on-death semaphore with a dead holder, whose permits gc gives back. */
    static boolean isUndoSemaphoreWithDeadHolder(SegmentReport r) {
        return r.problem == null && r.kind != null && r.state.containsKey("permitsOfDeadHolders")
                && String.valueOf(r.state.get("holders")).contains("(dead");
    }

    /** Whether the report shows a lock held by a process that is gone. */
    static boolean isLockWithDeadOwner(SegmentReport r) {
        return r.problem == null && r.kind != null && ("LOCK".equals(r.kind.name()) || "RLOCK".equals(r.kind.name()))
                && Boolean.TRUE.equals(r.state.get("locked"))
                && String.valueOf(r.state.get("owner")).startsWith("dead");
    }

    /** Element type codes of VALUE and ARRAY (param 0), docs/layout/data-pipe.md. */
    private static final String[] TYPES = {"?", "int", "long", "double", "boolean", "byte"};
    private static final int[] SIZES = {0, 4, 8, 8, 4, 1};
    /** Elements shown of an array (the inspector reads the first page of a file only). */
    private static final int MAX_ELEMENTS = 256;

    private static void value(SegmentReport r) {
        int type = (int) r.param(0);
        if (type < 1 || type >= TYPES.length) {
            r.state.put("note", "unknown element type " + type);
            return;
        }
        r.state.put("type", TYPES[type]);
        if (type == 5) { // SharedBytes: a seqlock-guarded byte string
            long seq = r.longAt(BODY);
            int length = (int) Math.max(0, Math.min(r.param(1), r.intAt(BODY + 16)));
            r.state.put("capacity", r.param(1));
            r.state.put("length", length);
            r.state.put("version", seq >>> 32);
            r.state.put("writerPid", seq & 0xffff_ffffL);
            r.state.put("bytes", hex(r, BODY + 64, Math.min(length, 64)) + (length > 64 ? "…" : ""));
            return;
        }
        r.state.put("value", element(r, type, BODY));
        r.state.put("watchers", r.intAt(BODY + 8));
    }

    private static void array(SegmentReport r) {
        int type = (int) r.param(0);
        if (type < 1 || type >= TYPES.length) {
            r.state.put("note", "unknown element type " + type);
            return;
        }
        long length = r.param(1);
        r.state.put("type", TYPES[type]);
        r.state.put("length", length);
        if (type == 5) {
            r.state.put("bytes", hex(r, BODY, (int) Math.min(length, 64)) + (length > 64 ? "…" : ""));
            return;
        }
        int readable = (r.bytes.limit() - BODY) / SIZES[type];
        int shown = (int) Math.min(Math.min(length, MAX_ELEMENTS), readable);
        java.util.List<Object> elements = new java.util.ArrayList<>(shown);
        for (int i = 0; i < shown; i++) {
            elements.add(element(r, type, BODY + i * SIZES[type]));
        }
        r.state.put("elements", elements);
        if (shown < length) {
            r.state.put("elementsShown", shown);
        }
    }

    /** One element; a double that is not finite is shown as its name, since JSON has no NaN. */
    private static Object element(SegmentReport r, int type, int offset) {
        switch (type) {
            case 1:
                return r.intAt(offset);
            case 2:
                return r.longAt(offset);
            case 3:
                double d = Double.longBitsToDouble(r.longAt(offset));
                return Double.isFinite(d) ? (Object) d : String.valueOf(d);
            default:
                return r.intAt(offset) != 0;
        }
    }

    private static String hex(SegmentReport r, int offset, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length && offset + i < r.bytes.limit(); i++) {
            b.append(String.format("%02x", r.bytes.get(offset + i) & 0xff));
        }
        return b.toString();
    }
}
