"""Condition (kind CONDITION, docs/layout/sync-a.md): waiter slots over a Lock or an RLock, the
JVM's dev.procsync.sync.Condition and ConditionSlots word for word.

Slot word (bits 0-21 pid, bits 28-29 state), one per waiting thread:

    0              free      waiter, holding the lock: CAS 0 -> pid|WAITING, then ticket, start
    pid|WAITING    asleep    notifier (holding the lock): live pid -> CAS pid|NOTIFIED, FUTEX_WAKE 1
                                                          dead pid -> CAS 0 (reaped, not counted)
                             the waiter on timeout / KeyboardInterrupt / close: CAS -> 0
    pid|NOTIFIED   notified  the waiter: CAS -> 0 and returns True

Claims and notifies run under the lock; frees race them, hence the CASes. Each waiter sleeps on
its own word, so notify(1) wakes exactly one sleeper and a timed-out waiter is never counted.
"""

import time

from ._atomic import cas32, fetch_add32, futex_wait, futex_wake, load32, load64, store32, store64
from ._errors import ProcsyncError
from ._layout import PID_MASK, Kind
from ._layout import Condition as _C
from ._proc import ME, start_time_of
from ._segment import create_or_open
from ._wait import SPINS, deadline, slice_left

_WORDS = _C.SLOTS_OFFSET >> 2               # slot i's word is u32 index _WORDS + 4 i
_STRIDE = _C.SLOT_LENGTH >> 2
_VERIFIED_NS = 20_000_000
_verified = {}                              # pid -> (start time, when seen alive): as ConditionSlots


class TooManyWaitersError(ProcsyncError):
    """Every waiter slot of the condition is taken by a live waiter."""


def java_hash(text):
    """Java's ``String.hashCode()`` (the condition's param 2 names its lock this way)."""
    units = text.encode("utf-16-le")
    h = 0
    for i in range(0, len(units), 2):
        h = (31 * h + (units[i] | units[i + 1] << 8)) & 0xFFFFFFFF
    return h - (1 << 32) if h >= 1 << 31 else h


class Condition:
    """A condition variable bound to a procsync Lock or RLock, shared with every process (JVM or
    Python) that opens the same name: ``multiprocessing.Condition``'s twin.

    ``ns.Condition(name)`` pairs it with its own RLock ``<name>~lock`` (as the JVM's
    ``ns.condition(name)``); ``ns.Condition(name, lock)`` with a Lock or RLock of yours. Every
    process must pair the name with the same lock name and kind (else SegmentMismatchError).

    :meth:`wait` releases the lock completely (every hold of an RLock), sleeps until notified or
    the timeout, re-acquires the lock (restoring the hold count) and returns whether it was
    notified: there are no spurious wake-ups. :meth:`notify` wakes the ``n`` longest-waiting live
    waiters and never waits for them. The caller must hold the lock, else AssertionError (as
    multiprocessing asserts): for an RLock the current thread, for a Lock this process.

    A waiter whose process died is skipped by notify and its slot reaped, so it absorbs no
    notification (liveness read within the last 20 ms is trusted, as on the JVM). A
    KeyboardInterrupt during a wait gives up the slot (a notification that raced it is dropped),
    re-acquires the lock and propagates. At most 128 threads wait at once (TooManyWaitersError).
    """

    def __init__(self, ns, name, lock=None):
        from ._rlock import RLock
        from .synchronize import Lock
        self.name = name
        self._owns_lock = lock is None
        if lock is None:
            lock = RLock.default_of(ns, name)
        self._rlock = isinstance(lock, RLock)
        if not self._rlock and not isinstance(lock, Lock):
            raise TypeError("a procsync Condition needs a procsync Lock or RLock of the same namespace, not %r"
                            % (lock,))
        self._lock = lock
        try:
            self._seg = create_or_open(ns, name, Kind.CONDITION, _C.BODY_LENGTH,
                                       params=(_C.SLOTS, Kind.RLOCK if self._rlock else Kind.LOCK,
                                               java_hash(lock.name)),
                                       param_names=("slots", "lock kind", "lock name hash"), mode=ns.mode)
        except BaseException:
            if self._owns_lock:
                lock.close()
            raise
        self._b = self._seg.base
        self._words = self._seg._u32[_WORDS:_WORDS + _C.SLOTS * _STRIDE:_STRIDE]
        self._tickets = self._seg._u32[_WORDS + 1:_WORDS + 1 + _C.SLOTS * _STRIDE:_STRIDE]
        self._mine = set()

    # ---- the lock ----

    def acquire(self, block=True, timeout=None):
        return self._lock.acquire(block, timeout)

    def release(self):
        self._lock.release()

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *exc):
        return self._lock.__exit__(*exc)

    def _check_held(self, action):
        self._seg.check_open()
        if self._rlock:
            if not self._lock._is_owned():
                raise AssertionError("must acquire() condition '%s' before using %s(): rlock '%s' is not held "
                                     "by the current thread" % (self.name, action, self._lock.name))
        elif self._lock.owner_pid() != ME.pid:
            raise AssertionError("must acquire() condition '%s' before using %s(): lock '%s' is not held by "
                                 "this process" % (self.name, action, self._lock.name))

    # ---- waiting ----

    def wait(self, timeout=None):
        """Releases the lock, waits until notified or ``timeout`` seconds pass, re-acquires the
        lock; True if notified. A zero or negative timeout returns False at once."""
        self._check_held("wait")
        if timeout is not None and timeout <= 0:
            return False
        return self._wait(deadline(True, timeout))

    def wait_for(self, predicate, timeout=None):
        """Waits until ``predicate()`` (called with the lock held) is true, at most ``timeout``
        seconds in all; returns its last value."""
        self._check_held("wait_for")
        dl = deadline(True, timeout)
        result = predicate()
        while not result:
            if dl is not None and time.monotonic_ns() >= dl:
                break
            self._wait(dl)
            result = predicate()
        return result

    def _wait(self, dl):
        word = ME.pid | _C.WAITING
        offset = self._claim(word)
        saved = self._lock._unwind() if self._rlock else self._lock.release()
        try:
            return self._sleep(offset, word, dl)
        finally:
            if self._rlock:
                self._lock._rewind(saved)
            else:
                self._lock.acquire()

    def _sleep(self, offset, word, dl):
        """True if notified, False on timeout; the slot is freed however it ends."""
        seg = self._seg
        a = self._b + offset
        done = False
        try:
            for _ in range(SPINS):
                if load32(a) != word:
                    break
            while True:
                w = load32(a)
                if w != word:
                    done = True
                    if w == 0:
                        seg.check_open()
                        raise ProcsyncError("condition '%s': wait ended by close()" % self.name)
                    self._free(offset, w)
                    return True
                left = slice_left(dl)
                if left <= 0:
                    if self._free(offset, word):
                        done = True
                        return False
                    continue                      # notified at the last moment: the next round sees it
                futex_wait(a, word, left)
                seg.check_open()
        finally:
            self._mine.discard(offset)
            if not done and not seg.closed:
                # KeyboardInterrupt (or a close): give the slot up; a notification that won the
                # race is consumed here rather than left to wedge the slot.
                if not self._free(offset, word):
                    w = load32(a)
                    if w != 0:
                        self._free(offset, w)

    # ---- slots (ConditionSlots) ----

    def _claim(self, word):
        b = self._b
        for reap in (False, True):
            for i, w in enumerate(self._words.tolist()):
                offset = _C.SLOTS_OFFSET + i * _C.SLOT_LENGTH
                if w and reap and not self._alive(offset, w):
                    self._free(offset, w)
                    w = load32(b + offset)
                # CAS: a cancelling waiter or another thread of ours may race us for the slot.
                if w == 0 and cas32(b + offset, 0, word):
                    store32(b + offset + 4, fetch_add32(b + _C.TICKET_OFFSET, 1))
                    store64(b + offset + 8, ME.start)
                    fetch_add32(b + _C.WAITERS_OFFSET, 1)
                    self._mine.add(offset)
                    return offset
        raise TooManyWaitersError("condition '%s' has no free waiter slot: all %d are taken by live waiters"
                                  % (self.name, _C.SLOTS))

    def _free(self, offset, word):
        # CAS: the waiter, its closing handle and reapers may all try; exactly one decrements.
        if cas32(self._b + offset, word, 0):
            fetch_add32(self._b + _C.WAITERS_OFFSET, -1)
            return True
        return False

    def _alive(self, offset, word):
        pid = word & PID_MASK
        if pid == ME.pid:
            return True
        start = load64(self._b + offset + 8)
        now = time.monotonic_ns()
        seen = _verified.get(pid)
        if seen is not None and seen[0] == start and now - seen[1] < _VERIFIED_NS:
            return True
        alive = start_time_of(pid) == start
        if alive:
            if len(_verified) >= 4096:
                _verified.clear()
            _verified[pid] = (start, now)
        else:
            _verified.pop(pid, None)
        return alive

    # ---- notifying ----

    def notify(self, n=1):
        """Wakes up to ``n`` of the longest-waiting live waiters; returns how many. Never blocks."""
        if n < 0:
            raise ValueError("negative notify count for condition '%s': %d" % (self.name, n))
        self._check_held("notify")
        if n == 0 or load32(self._b + _C.WAITERS_OFFSET) == 0:
            return 0
        woken = 0
        if n >= _C.SLOTS:
            for i, w in enumerate(self._words.tolist()):
                if self._try_notify(_C.SLOTS_OFFSET + i * _C.SLOT_LENGTH, w):
                    woken += 1
            return woken
        while woken < n:
            next_ticket = load32(self._b + _C.TICKET_OFFSET)
            oldest, oldest_word, oldest_age = -1, 0, -1
            tickets = self._tickets.tolist()
            for i, w in enumerate(self._words.tolist()):
                if w & _C.WAITING:
                    age = (next_ticket - tickets[i]) & 0xFFFFFFFF     # unsigned distance: wraps safely
                    if age > oldest_age:
                        oldest, oldest_word, oldest_age = i, w, age
            if oldest < 0:
                break
            if self._try_notify(_C.SLOTS_OFFSET + oldest * _C.SLOT_LENGTH, oldest_word):
                woken += 1
        return woken

    def notify_all(self):
        """Wakes every live waiter; returns how many."""
        return self.notify(0x7FFFFFFF)

    def _try_notify(self, offset, word):
        if not word & _C.WAITING:
            return False
        if not self._alive(offset, word):
            self._free(offset, word)
            return False
        # CAS: the waiter may be giving up (timeout) at this moment; the winner decides.
        if cas32(self._b + offset, word, (word & PID_MASK) | _C.NOTIFIED):
            futex_wake(self._b + offset, 1)
            return True
        return False

    # ---- snapshots and life cycle ----

    def waiter_count(self):
        """Threads waiting now, dead waiters not yet reaped included (a snapshot)."""
        self._seg.check_open()
        return load32(self._b + _C.WAITERS_OFFSET)

    def close(self):
        """Frees the slots of this handle's waits and unmaps it; closes the lock if the condition
        opened it. Close a handle only once no thread of this process waits on it."""
        if self._seg.closed:
            return
        for offset in list(self._mine):
            w = load32(self._b + offset)
            if w & PID_MASK == ME.pid:
                self._free(offset, w)
                futex_wake(self._b + offset, 1)
        self._words.release()
        self._tickets.release()
        self._seg.close()
        if self._owns_lock:
            self._lock.close()

    def __repr__(self):
        if self._seg.closed:
            return "<procsync.Condition %r closed>" % self.name
        return "<procsync.Condition %r lock=%r waiting=%d>" % (self.name, self._lock.name, self.waiter_count())

