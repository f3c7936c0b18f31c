"""Deadlines and sleeping: monotonic clock, bounded slices, spin-then-park."""

import time

from ._layout import SLICE_NS

SPINS = 64
"""Rounds a waiter re-reads its word before it sleeps in the kernel. Python's own loop makes a
round cost ~0.1-0.3 us, so this spins for roughly the cost of a cross-process wake-up."""


def deadline(block, timeout):
    """``None`` for "wait as long as it takes", else the monotonic deadline in ns.

    As in multiprocessing, ``block=False`` ignores the timeout, and a negative timeout waits 0.
    """
    if not block:
        return time.monotonic_ns()
    if timeout is None:
        return None
    if timeout < 0:
        timeout = 0
    return time.monotonic_ns() + int(timeout * 1_000_000_000)


def slice_left(deadline_ns):
    """How long the next sleep may last: a slice, cut to the deadline; <= 0 once it passed."""
    if deadline_ns is None:
        return SLICE_NS
    left = deadline_ns - time.monotonic_ns()
    return left if left < SLICE_NS else SLICE_NS
