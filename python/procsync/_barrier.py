"""Barrier (kind BARRIER, docs/layout/sync-a.md): one state word and a slot per arrival."""

import threading

from ._atomic import cas32, futex_wait, futex_wake, load32, load64, store32, store64
from ._layout import Barrier as _B
from ._layout import Kind
from ._proc import ME, start_time_of
from ._segment import create_or_open
from ._wait import deadline, slice_left

BrokenBarrierError = threading.BrokenBarrierError
_INT_MAX = 0x7FFFFFFF


def _count(w):
    return w & _B.COUNT_MASK


def _phase(w):
    return (w >> _B.PHASE_SHIFT) & _B.PHASE_MASK


def _gen(w):
    return (w >> _B.GENERATION_SHIFT) & _B.GENERATION_MASK


def _word(count, phase, gen):
    return count | phase << _B.PHASE_SHIFT | (gen & _B.GENERATION_MASK) << _B.GENERATION_SHIFT


class Barrier:
    """A cyclic barrier of ``parties`` processes (Python or JVM), ``multiprocessing.Barrier``'s
    twin: ``wait()`` returns the arrival index; the last arriver runs ``action``. A party that
    times out, or a party's process that dies, breaks the round for everyone
    (``threading.BrokenBarrierError``) until :meth:`reset`."""

    def __init__(self, ns, name, parties, action=None, timeout=None):
        if not 1 <= parties <= _B.MAX_PARTIES:
            raise ValueError("barrier '%s': parties must be 1..%d: %d" % (name, _B.MAX_PARTIES, parties))
        self.name = name
        self._parties = parties
        self._action = action
        self._timeout = timeout
        self._seg = create_or_open(ns, name, Kind.BARRIER, 64 + parties * _B.SLOT_SIZE, params=(parties,),
                                   param_names=("parties",))
        self._a = self._seg.base + _B.STATE_OFFSET

    @property
    def parties(self):
        return self._parties

    @property
    def n_waiting(self):
        w = load32(self._a)
        return _count(w) if _phase(w) == _B.FILLING else 0

    @property
    def broken(self):
        return _phase(load32(self._a)) == _B.BROKEN

    def wait(self, timeout=None):
        seg = self._seg
        seg.check_open()
        dl = deadline(True, self._timeout if timeout is None else timeout)
        a = self._a
        while True:
            w = load32(a)
            phase = _phase(w)
            if phase == _B.BROKEN:
                raise BrokenBarrierError("barrier '%s' is broken" % self.name)
            if phase == _B.FILLING and _count(w) < self._parties:
                if cas32(a, w, w + 1):
                    index, gen = _count(w), _gen(w)
                    break
                continue
            left = slice_left(dl)
            if left <= 0:
                raise BrokenBarrierError("barrier '%s': timed out before the previous round had left" % self.name)
            futex_wait(a, w, left)
            seg.check_open()
            self._sweep()
        slot = seg.base + _B.SLOTS_OFFSET + index * _B.SLOT_SIZE
        store64(slot + _B.SLOT_START, ME.start)
        store32(slot, ME.pid)
        try:
            if index == self._parties - 1:
                return self._trip(gen)
            return self._wait_for_trip(index, gen, dl)
        finally:
            if not seg.closed:
                pid = load32(slot)
                if pid:
                    self._count_out(slot, pid, False)

    def _trip(self, gen):
        if self._action is not None:
            try:
                self._action()
            except BaseException:
                self._break_round(gen)
                raise
        a = self._a
        while True:
            w = load32(a)
            if _phase(w) != _B.FILLING or _gen(w) != gen:
                raise BrokenBarrierError("barrier '%s' was broken or reset while its action ran" % self.name)
            if cas32(a, w, _word(_count(w), _B.DRAINING, gen + 1)):
                futex_wake(a, _INT_MAX)
                return self._parties - 1

    def _wait_for_trip(self, index, gen, dl):
        a = self._a
        seg = self._seg
        try:
            while True:
                w = load32(a)
                if _gen(w) != gen:
                    return index
                if _phase(w) != _B.FILLING:
                    raise BrokenBarrierError("barrier '%s' %s" % (
                        self.name, "was reset while waiting" if _phase(w) == _B.RESETTING else "is broken"))
                left = slice_left(dl)
                if left <= 0:
                    if not self._break_round(gen):
                        return index
                    raise BrokenBarrierError("barrier '%s': timed out waiting (now broken for every party)" % self.name)
                futex_wait(a, w, left)
                seg.check_open()
                self._sweep()
        except KeyboardInterrupt:
            self._break_round(gen)
            raise

    def _break_round(self, gen):
        a = self._a
        while True:
            w = load32(a)
            if _gen(w) != gen:
                return False
            if _phase(w) != _B.FILLING:
                return True
            if cas32(a, w, _word(_count(w), _B.BROKEN, gen)):
                futex_wake(a, _INT_MAX)
                return True

    def _count_out(self, slot, pid, break_if_filling):
        if not cas32(slot, pid, 0):
            return False
        a = self._a
        while True:
            w = load32(a)
            count = max(0, _count(w) - 1)
            phase = _phase(w)
            if phase == _B.FILLING and break_if_filling:
                phase = _B.BROKEN
            elif count == 0 and phase in (_B.DRAINING, _B.RESETTING):
                phase = _B.FILLING
            nxt = _word(count, phase, _gen(w))
            if cas32(a, w, nxt):
                if _phase(nxt) != _phase(w):
                    futex_wake(a, _INT_MAX)
                return True

    def _sweep(self):
        base = self._seg.base + _B.SLOTS_OFFSET
        for i in range(self._parties):
            slot = base + i * _B.SLOT_SIZE
            pid = load32(slot)
            if pid and pid != ME.pid and start_time_of(pid) != load64(slot + _B.SLOT_START):
                self._count_out(slot, pid, True)

    def abort(self):
        a = self._a
        while True:
            w = load32(a)
            if _phase(w) == _B.BROKEN:
                return
            if cas32(a, w, _word(_count(w), _B.BROKEN, _gen(w))):
                futex_wake(a, _INT_MAX)
                return

    def reset(self):
        self._sweep()
        a = self._a
        while True:
            w = load32(a)
            phase = _phase(w)
            if _count(w) == 0:
                nxt = _word(0, _B.FILLING, _gen(w))
            elif phase in (_B.FILLING, _B.BROKEN):
                nxt = _word(_count(w), _B.RESETTING, _gen(w))
            else:
                return
            if nxt == w or cas32(a, w, nxt):
                futex_wake(a, _INT_MAX)
                return

    def close(self):
        self._seg.close()

    def __repr__(self):
        return "<procsync.Barrier %r parties=%d>" % (self.name, self._parties)
