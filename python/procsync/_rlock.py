"""RLock (kind RLOCK, docs/layout/sync-a.md): the Lock word plus the owning thread and a count."""

import threading

from . import _atomic
from ._atomic import cas32, futex_wake, load32, load64, store32, store64
from ._layout import PID_MASK, Kind
from ._layout import Lock as _L
from ._layout import RLock as _R
from ._proc import ME
from ._segment import create_or_open, derived_name
from .synchronize import _TAKEN_OVER, acquire_word_slow


def _key():
    # (pid << 32) | thread id: the kernel thread id is unique within the process while it runs.
    return (ME.pid << 32) | (threading.get_native_id() & 0xFFFFFFFF)


class RLock:
    """A reentrant lock owned by a process and thread, ``multiprocessing.RLock``'s twin, shared
    with the JVM's ``ns.rlock(name)``. A dead owner is taken over as for :class:`Lock`."""

    def __init__(self, ns, name, _derived=False):
        self.name = name
        self._seg = create_or_open(ns, name, Kind.RLOCK, _R.BODY_LENGTH, mode=ns.mode, derived=_derived)
        self._base = self._seg.base

    @classmethod
    def default_of(cls, ns, owner):
        """The RLock ``<owner>~lock`` that a value or condition ``owner`` given no lock uses, on
        the JVM too (``RLock.openDefaultLockOf``)."""
        return cls(ns, derived_name(owner, "lock"), _derived=True)

    def acquire(self, block=True, timeout=None):
        seg = self._seg
        seg.check_open()
        b = self._base
        key = _key()
        if load64(b + _R.OWNER_KEY_OFFSET) == key:
            store32(b + _R.COUNT_OFFSET, load32(b + _R.COUNT_OFFSET) + 1)
            return True
        if cas32(b + _R.STATE_OFFSET, 0, ME.pid):
            got = 1
        else:
            got = acquire_word_slow(seg, _R.STATE_OFFSET, block, timeout)
            if not got:
                return False
        store64(b + _R.OWNER_START_OFFSET, ME.start)
        if got == _TAKEN_OVER:
            store32(b + _R.OWNER_DIED_OFFSET, 1)
        store32(b + _R.COUNT_OFFSET, 1)
        store64(b + _R.OWNER_KEY_OFFSET, key)
        return True

    def release(self):
        self._release(True)

    def release_keeping_owner_died(self):
        self._release(False)

    def _release(self, clear_died):
        self._seg.check_open()
        b = self._base
        if load64(b + _R.OWNER_KEY_OFFSET) != _key():
            raise AssertionError("attempt to release recursive lock not owned by thread")
        count = load32(b + _R.COUNT_OFFSET)
        if count > 1:
            store32(b + _R.COUNT_OFFSET, count - 1)
            return
        store32(b + _R.COUNT_OFFSET, 0)
        if clear_died:
            store32(b + _R.OWNER_DIED_OFFSET, 0)
        store64(b + _R.OWNER_KEY_OFFSET, 0)
        old = _atomic.xchg32(b + _R.STATE_OFFSET, 0)
        if old & _L.SLEEPERS:
            futex_wake(b + _R.STATE_OFFSET, 1)

    def previous_owner_died(self):
        self._seg.check_open()
        return load32(self._base + _R.OWNER_DIED_OFFSET) != 0

    def owner_pid(self):
        self._seg.check_open()
        return load32(self._base + _R.STATE_OFFSET) & PID_MASK

    def _is_owned(self):
        return not self._seg.closed and load64(self._base + _R.OWNER_KEY_OFFSET) == _key()

    def _unwind(self):
        """Releases every hold of this thread at once (a condition wait); returns the count."""
        count = load32(self._base + _R.COUNT_OFFSET)
        store32(self._base + _R.COUNT_OFFSET, 1)
        self._release(True)
        return count

    def _rewind(self, count):
        """Re-acquires after a condition wait and restores the hold count."""
        self.acquire()
        store32(self._base + _R.COUNT_OFFSET, count)

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()

    def close(self):
        self._seg.close()

    def __repr__(self):
        if self._seg.closed:
            return "<procsync.RLock %r closed>" % self.name
        pid = self.owner_pid()
        return "<procsync.RLock %r %s>" % (self.name, "owner=%d count=%d" % (
            pid, load32(self._base + _R.COUNT_OFFSET)) if pid else "unlocked")


