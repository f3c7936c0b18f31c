package dev.procsync.sync;

import static dev.procsync.layout.SemaphoreLayout.ONE_MULTI_SLEEPER;
import static dev.procsync.layout.SemaphoreLayout.ONE_SLEEPER;

import dev.procsync.futex.Spinner;
import dev.procsync.segment.Segment;

/**
 * {@link RawSemaphore} in the undo-on-death mode: the same state word and waiting, but every
 * change of the permit count goes through the {@link UndoLedger} (under its book, journalled), and
 * a registered waiter that finds no permit looks for dead holders to give theirs back.
 */
final class UndoRawSemaphore extends RawSemaphore {
    /*
     * What changes against the plain protocol (RawSemaphore's table):
     *  tryAcquire / registered take   book held; CAS (p, s) -> (p-n, s - unregister); slot.held += n
     *  release(n)                     book held; only n <= slot.held; CAS p -> p+n; slot.held -= n
     *  registered take fails          at most once per 25 ms per handle: dead holders' permits come
     *                                 back (ledger reclaim, FUTEX_WAKE all), then it tries again
     * Sleeping, registering and leaving are the plain ones: they touch only the sleeper half.
     */

    private final UndoLedger ledger;

    UndoRawSemaphore(Segment segment, String what, int bound, Spinner spinner, int slots) {
        super(segment, what, bound, spinner);
        this.ledger = new UndoLedger(segment, what, slots);
    }

    @Override
    UndoLedger ledger() {
        return ledger;
    }

    @Override
    boolean tryAcquire() {
        return ledger.take(1, 0);
    }

    @Override
    boolean tryAcquire(int n) {
        return ledger.take(n, 0);
    }

    @Override
    boolean takeAsSleeper() {
        return ledger.take(1, ONE_SLEEPER) || ledger.reclaimDeadNowAndThen() > 0 && ledger.take(1, ONE_SLEEPER);
    }

    @Override
    boolean takeAsMultiSleeper(int n) {
        return ledger.take(n, ONE_MULTI_SLEEPER)
                || ledger.reclaimDeadNowAndThen() > 0 && ledger.take(n, ONE_MULTI_SLEEPER);
    }

    @Override
    int release(int n) {
        return ledger.give(n, bound);
    }
}
