"""Lock, RLock, Semaphore, BoundedSemaphore, Event, Barrier: multiprocessing's synchronize module
over the JVM's word protocols (docs/layout/foundation.md, sync-a.md, sync-b.md).

Every primitive is found by name in a :class:`procsync.Namespace` and may be shared with JVM
processes using ``ns.lock(name)`` and friends. Waits sleep on the futex word in slices of 25 ms,
so a waiter notices a dead holder, its timeout and signals (KeyboardInterrupt) within a slice.
"""

import threading
import time

from . import _atomic
from ._atomic import cas32, cas64, fetch_add64, futex_wait, futex_wake, load32, load64, store32, store64
from ._errors import ClosedError
from ._layout import PID_MASK, Kind
from ._layout import Event as _E
from ._layout import Lock as _L
from ._layout import Semaphore as _S
from ._proc import ME, OwnerWatch
from ._segment import create_or_open
from ._wait import SPINS, deadline, slice_left

_LOW = 0xFFFFFFFF
_SPIN_WORTH_NS = 100_000
_INT_MAX = 0x7FFFFFFF


class _PyLockBase:
    """The uncontended Lock path in Python, used when the C extension is not built."""

    _state = 0

    def _bind(self, address):
        self._state = address

    def acquire(self, block=True, timeout=None):
        s = self._state
        if not s:
            raise ClosedError("lock handle is closed")
        if cas32(s, 0, ME.pid):
            store64(s + 8, ME.start)
            return True
        return self._acquire_slow(block, timeout)

    def release(self):
        s = self._state
        if not s:
            raise ClosedError("lock handle is closed")
        if load32(s + 4) != 0 and load32(s) != 0:
            store32(s + 4, 0)
        old = _atomic.xchg32(s, 0)
        if old == 0:
            raise ValueError("semaphore or lock released too many times")
        if old & _L.SLEEPERS:
            futex_wake(s, 1)

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


_LockBase = _atomic.LockBase if _atomic.ACCELERATED else _PyLockBase


class Lock(_LockBase):
    """A non-reentrant lock held by a process (kind LOCK), ``multiprocessing.Lock``'s twin.

    Any process may release it. When the holder dies (SIGKILL, crash), the next waiter takes it
    over within a slice and :meth:`previous_owner_died` is then true for the new holder, like a
    robust mutex's EOWNERDEAD, until its next :meth:`release`. A live holder is never forced.
    """

    def __init__(self, ns, name):
        self.name = name
        self._seg = create_or_open(ns, name, Kind.LOCK, _L.BODY_LENGTH, mode=ns.mode)
        self._bind(self._seg.base + _L.STATE_OFFSET)

    def _acquire_slow(self, block=True, timeout=None):
        got = acquire_word_slow(self._seg, _L.STATE_OFFSET, block, timeout)
        if got:
            if got == _TAKEN_OVER:
                store32(self._seg.base + _L.OWNER_DIED_OFFSET, 1)
            return True
        return False

    def release_keeping_owner_died(self):
        """Releases like :meth:`release` but leaves the owner-died signal for the next holder."""
        a = self._state
        if not a:
            raise ClosedError("lock handle is closed")
        old = _atomic.xchg32(a, 0)
        if old == 0:
            raise ValueError("semaphore or lock released too many times")
        if old & _L.SLEEPERS:
            futex_wake(a, 1)

    def previous_owner_died(self):
        """Whether this hold was taken over from a holder that died holding the lock."""
        self._seg.check_open()
        return load32(self._seg.base + _L.OWNER_DIED_OFFSET) != 0

    def owner_pid(self):
        """The pid of the holding process, 0 if free (a snapshot)."""
        self._seg.check_open()
        return self._seg.u32(_L.STATE_OFFSET) & PID_MASK

    def locked(self):
        """Whether some process holds the lock now (a snapshot)."""
        return self.owner_pid() != 0

    def close(self):
        """Unmaps this handle; the lock and its state stay for the other processes."""
        self._bind(0)
        self._seg.close()

    def __repr__(self):
        if self._seg.closed:
            return "<procsync.Lock %r closed>" % self.name
        pid = self.owner_pid()
        return "<procsync.Lock %r %s>" % (self.name, "owner=%d" % pid if pid else "unlocked")


_TAKEN_OVER = 2


def acquire_word_slow(seg, offset, block, timeout):
    """The contended path of a Lock-shaped word (Lock, RLock; foundation.md, "Lock"): spin, then
    mark SLEEPERS and sleep in slices, taking the word over from a dead holder.

    Returns 0 (not acquired), 1 (acquired) or 2 (taken over from a dead holder); the caller
    stores ownerDied. ownerStart (the u64 8 bytes past the word) is stored here.
    """
    seg.check_open()
    if not block or (timeout is not None and timeout <= 0):
        return 0
    dl = deadline(block, timeout)
    a = seg.base + offset
    pid = ME.pid
    for _ in range(SPINS):
        if load32(a) == 0 and cas32(a, 0, pid):
            store64(a + 8, ME.start)
            return 1
    watch = OwnerWatch()
    while True:
        seg.check_open()
        state = load32(a)
        if state == 0:
            if cas32(a, 0, pid | _L.SLEEPERS):
                store64(a + 8, ME.start)
                return 1
            continue
        if not state & _L.SLEEPERS:
            if not cas32(a, state, state | _L.SLEEPERS):
                continue
            state |= _L.SLEEPERS
        left = slice_left(dl)
        if left <= 0:
            return 0
        futex_wait(a, state, left)
        seg.check_open()
        if (load32(a) == state
                and watch.is_owner_dead(state, state & PID_MASK, load64(a + 8))
                and cas32(a, state, pid | _L.SLEEPERS)):
            store64(a + 8, ME.start)
            return _TAKEN_OVER


class _RawSemaphore:
    """The 64-bit permits|sleepers word shared by Semaphore and BoundedSemaphore (sync-b.md)."""

    _KIND = Kind.SEMAPHORE

    def __init__(self, ns, name, value, bound):
        if not isinstance(value, int) or value < 0 or value > _S.MAX_PERMITS:
            raise ValueError("semaphore initial value must be 0..%d: %r" % (_S.MAX_PERMITS, value))
        self.name = name
        self._bound = value if bound else _S.MAX_PERMITS
        self._seg = create_or_open(ns, name, self._KIND, _S.BODY_LENGTH, params=(value,),
                                   param_names=("permits",), mode=ns.mode,
                                   init=lambda seg: seg.set_u64(_S.STATE_OFFSET, value))
        self._a = self._seg.base + _S.STATE_OFFSET

    def _try(self):
        a = self._a
        s = load64(a)
        while s & _LOW:
            if cas64(a, s, s - 1):
                return True
            s = load64(a)
        return False

    def acquire(self, block=True, timeout=None):
        """Takes a permit, waiting (``block``) at most ``timeout`` seconds; False on timeout."""
        seg = self._seg
        seg.check_open()
        if self._try():
            return True
        if not block or (timeout is not None and timeout <= 0):
            return False
        dl = deadline(block, timeout)
        for _ in range(SPINS):
            if seg.u32(_S.STATE_OFFSET) and self._try():
                return True
        a = self._a
        fetch_add64(a, _S.ONE_SLEEPER)
        registered = True
        try:
            while True:
                s = load64(a)
                if s & _LOW:
                    if cas64(a, s, s - 1 - _S.ONE_SLEEPER):   # takes the permit and unregisters
                        registered = False
                        return True
                    continue
                left = slice_left(dl)
                if left <= 0:
                    return False
                futex_wait(a, 0, left)
                seg.check_open()
        finally:
            if registered and not seg.closed:
                before = fetch_add64(a, -_S.ONE_SLEEPER)
                if before & _LOW and (before >> 32) > 1:
                    futex_wake(a, 1)   # pass on a wake-up this waiter may have absorbed

    def release(self, n=1):
        """Adds ``n`` permits and wakes as many sleepers."""
        if n < 1:
            raise ValueError("n must be one or more")
        self._seg.check_open()
        a = self._a
        while True:
            s = load64(a)
            p = s & _LOW
            if p + n > self._bound:
                if self._bound == _S.MAX_PERMITS:
                    raise ValueError("semaphore '%s' cannot hold more than %d permits" % (self.name, self._bound))
                raise ValueError("semaphore or lock released too many times")
            if cas64(a, s, s + n):
                sleepers = s >> 32
                if sleepers:
                    futex_wake(a, min(n, sleepers))
                return

    def get_value(self):
        """Permits available now (a snapshot)."""
        self._seg.check_open()
        return self._seg.u32(_S.STATE_OFFSET)

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()

    def close(self):
        self._seg.close()

    def __repr__(self):
        if self._seg.closed:
            return "<procsync.%s %r closed>" % (type(self).__name__, self.name)
        return "<procsync.%s %r value=%d>" % (type(self).__name__, self.name, self.get_value())


class Semaphore(_RawSemaphore):
    """A counting semaphore (kind SEMAPHORE), ``multiprocessing.Semaphore``'s twin.

    ``value`` is the initial count; every opener must give the creator's value. A permit taken
    by a process that dies is lost (a semaphore has no owner).
    """

    def __init__(self, ns, name, value=1):
        super().__init__(ns, name, value, False)


class BoundedSemaphore(_RawSemaphore):
    """A semaphore whose count may not exceed its initial value (kind BOUNDED_SEMAPHORE): the
    bound is checked atomically against the value each release replaces."""

    _KIND = Kind.BOUNDED_SEMAPHORE

    def __init__(self, ns, name, value=1):
        super().__init__(ns, name, value, True)


class Event:
    """A flag any process raises and lowers (kind EVENT), ``multiprocessing.Event``'s twin.

    :meth:`wait` returns True if the flag was raised at any moment during the call, even if
    another process lowered it again before this one woke up.
    """

    def __init__(self, ns, name):
        self.name = name
        self._seg = create_or_open(ns, name, Kind.EVENT, _E.BODY_LENGTH, mode=ns.mode)
        self._a = self._seg.base + _E.STATE_OFFSET
        self._spins = SPINS

    def is_set(self):
        self._seg.check_open()
        return bool(self._seg.u32(_E.STATE_OFFSET) & _E.FLAG)

    def set(self):
        self._seg.check_open()
        a = self._a
        while True:
            s = load64(a)
            w = s & _LOW
            if w & _E.FLAG:
                return
            raised = ((w + 2) | _E.FLAG) & _LOW
            if cas64(a, s, (s & ~_LOW) | raised):
                if s >> 32:
                    futex_wake(a, _INT_MAX)
                return

    def clear(self):
        self._seg.check_open()
        a = self._a
        while True:
            s = load64(a)
            if not s & _E.FLAG:
                return
            if cas64(a, s, s & ~_E.FLAG):
                return

    def wait(self, timeout=None):
        """Waits until the flag is raised, at most ``timeout`` seconds; returns the flag."""
        seg = self._seg
        seg.check_open()
        start = seg.u32(_E.STATE_OFFSET)
        if start & _E.FLAG:
            return True
        if timeout is not None and timeout <= 0:
            return False
        dl = deadline(True, timeout)
        a = self._a
        for _ in range(self._spins):
            if load32(a) != start:
                return True
        began = time.monotonic_ns()
        w0 = fetch_add64(a, _E.ONE_WAITER) & _LOW
        try:
            if w0 != start or w0 & _E.FLAG:
                return True
            while True:
                w = load32(a)
                if w != w0 or w & _E.FLAG:
                    # Adapt the spin as glibc's adaptive mutex does: a set that came soon after we
                    # slept would have been caught by a longer spin; a late one means spinning only
                    # takes the CPU from the process that will set the flag (a loaded machine).
                    if time.monotonic_ns() - began < _SPIN_WORTH_NS:
                        self._spins = min(self._spins * 2, SPINS)
                    else:
                        self._spins = max(self._spins // 2, 2)
                    return True
                left = slice_left(dl)
                if left <= 0:
                    return False
                futex_wait(a, w0, left)
                seg.check_open()
        finally:
            if not seg.closed:
                fetch_add64(a, -_E.ONE_WAITER)   # set() wakes all: nothing to pass on

    def close(self):
        self._seg.close()

    def __repr__(self):
        if self._seg.closed:
            return "<procsync.Event %r closed>" % self.name
        return "<procsync.Event %r %s>" % (self.name, "set" if self.is_set() else "unset")


def RLock(ns, name):
    from ._rlock import RLock as _R
    return _R(ns, name)


def Barrier(ns, name, parties, action=None, timeout=None):
    from ._barrier import Barrier as _B
    return _B(ns, name, parties, action, timeout)


_ = threading  # RLock keys threads by threading.get_ident()
