package dev.procsync.futex;

/**
 * What a wake-up on a word means to the waiters of one process, declared at each wait's call site.
 * A platform thread sleeps in the kernel, which wakes exactly as many sleepers as the waker asked
 * for, so it ignores the intent. Virtual threads of one process wait behind one kernel sleeper
 * (the waiting engine), which sees a change or a wake but not its count: the intent tells it whom
 * to unpark, so that a lock release does not unpark every waiter of the process.
 */
public enum WakeIntent {
    /**
     * Only one waiter can proceed per change (a lock, a semaphore permit, queue space or a
     * message): one parked waiter is unparked per observed change or wake. The waiter that takes
     * the resource changes the word again, which passes the turn on.
     */
    ONE,
    /** Every waiter proceeds on a change (an event, a barrier trip, a notify-all, a sequence). */
    ALL
}
