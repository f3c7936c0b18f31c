"""Queue, JoinableQueue, SimpleQueue over the JVM's shared ring (docs/layout/queue.md).

``put`` is synchronous: when it returns, the message is in shared memory (no feeder thread), and
encoding errors are raised to the caller. ``get`` raises ``queue.Empty`` on timeout, ``put``
``queue.Full``. A Python producer never biases the claim lock; it revokes a JVM producer's bias
as the JVM does (membarrier). Delivery is at most once, FIFO per producer, as on the JVM.
"""

import os
import queue as _stdqueue
import threading
import time

from . import _atomic
from ._atomic import cas32, cas64, fetch_add32, fetch_add64, fence, futex_wait, futex_wake, load32, load64
from ._errors import ProcsyncError, SegmentMismatchError
from ._layout import PID_MASK, SLICE_NS, Kind
from ._layout import Queue as _Q
from ._proc import ME, OwnerWatch, start_time_of
from ._segment import create_or_open
from ._wait import SPINS, deadline, slice_left
from .codecs import codec as _codec

_fast_put = _atomic._impl.queue_put if _atomic.ACCELERATED else None
_fast_get = _atomic._impl.queue_get if _atomic.ACCELERATED else None
# The ctypes path's own fast put (under a bias) and get: the C extension's queue_put/queue_get
# written with plain memoryview loads and stores, which are acquire loads and release stores on
# x86-64 only (TSO); elsewhere every access goes through the _atomic functions.
_INLINE = not _atomic.ACCELERATED and _atomic._X86

Empty = _stdqueue.Empty
Full = _stdqueue.Full

_INT_MAX = 0x7FFFFFFF
_START_MASK = (1 << 42) - 1
_DEFAULT_MESSAGE_SIZE = 4096
_EMPTY_SPIN_NS = 50_000


# ---- biased claims (the ctypes path only) ----
#
# On the ctypes path every atomic instruction is a foreign call (microseconds), and a put takes
# two: the claim lock's CAS and its release. As on the JVM (RingWriter, ClaimLock), a handle's owner
# thread that keeps getting the lock at its first CAS keeps it *biased* (word = pid | BIASED, BIAS =
# a word unique to this bias) while it is the queue's only producer handle, and then claims with
# plain stores: INSIDE = 1, read BIAS (still ours?), claim as under the lock, INSIDE = 0. On x86-64
# a plain aligned store is a release store and a plain load an acquire load (TSO); the one
# reordering TSO allows, our INSIDE store after our BIAS read, is what the revoker's membarrier
# (this process registered for it before biasing) closes. Anyone else revokes exactly as it does
# a JVM producer's bias (Queue._lock_slow); a consumer about to sleep calls membarrier when BIAS is
# set, since a biased put signals notEmpty with no fence. With the C extension atomics cost
# nanoseconds and the fast put is in C: no bias there.
_BIAS_OK = not _atomic.ACCELERATED and hasattr(_atomic._impl, "membarrier_register")
_FIRST_BIAS_AFTER = 64
_MAX_BIAS_AFTER = 1 << 20
_BIASED_CLAIM, _AT_ONCE, _AFTER_WAIT = 1, 2, 3
_registered_pid = 0
_biases = 0


def _membarrier_registered():
    global _registered_pid
    if _registered_pid != os.getpid():          # per process: a forked child registers anew
        if not _atomic._impl.membarrier_register():
            return False
        _registered_pid = os.getpid()
    return True


class QueueShutDown(ProcsyncError):
    """The queue was shut down (by any process): puts fail, gets fail once it is drained."""


def _pow2(n):
    p = _Q.MIN_BYTES
    while p < n:
        p <<= 1
    return p


def _record(length):
    return (_Q.RECORD_HEADER + length + 15) & ~15


def capacity(maxsize=0, capacity_bytes=None):
    """The (bytes, messages) bounds the JVM's QueueCapacity would choose for the same request:
    ``defaults()``, ``bytes(B)``, ``messages(M)`` or ``of(B, M)``."""
    if capacity_bytes is not None and not _Q.MIN_BYTES <= capacity_bytes <= _Q.MAX_BYTES:
        raise ValueError("queue capacity in bytes must be %d..%d: %d" % (_Q.MIN_BYTES, _Q.MAX_BYTES, capacity_bytes))
    if maxsize is None or maxsize <= 0:
        b = _Q.DEFAULT_BYTES if capacity_bytes is None else capacity_bytes
        return b, min(b // 16, _Q.MAX_MESSAGES)
    if maxsize > _Q.MAX_MESSAGES:
        raise ValueError("queue capacity in messages must be 1..%d: %d" % (_Q.MAX_MESSAGES, maxsize))
    if capacity_bytes is None:
        room = min(maxsize, _Q.DEFAULT_BYTES) * _record(_DEFAULT_MESSAGE_SIZE)
        return min(_Q.DEFAULT_BYTES, _pow2(room)), maxsize
    return capacity_bytes, maxsize


def _pos(word):
    return (word >> _Q.COUNT_BITS) << 4


def _count(word):
    return word & _Q.COUNT_MASK


def _word(pos, count):
    return (((pos & _Q.POS_MASK) >> 4) << _Q.COUNT_BITS) | (count & _Q.COUNT_MASK)


class Queue:
    """A bounded multi-producer multi-consumer queue shared by name (kind QUEUE), with
    ``multiprocessing.Queue``'s methods. ``codec`` names the wire format (default ``"json"``);
    ``maxsize``/``capacity_bytes`` choose the bounds as the JVM's ``QueueCapacity`` does, and
    every opener must choose the same."""

    _KIND = Kind.QUEUE

    def __init__(self, ns, name, maxsize=0, codec="json", capacity_bytes=None):
        self._codec = _codec(codec)
        cid = self._codec.id.encode("ascii")
        if not 0 < len(cid) <= _Q.CODEC_ID_MAX:
            raise ValueError("codec id must be 1..%d ASCII characters: %r" % (_Q.CODEC_ID_MAX, self._codec.id))
        limit, messages = capacity(maxsize, capacity_bytes)
        ring = _pow2(limit) if limit & (limit - 1) else limit
        self.name = name
        self._limit = limit
        self._max_messages = messages
        self._mask = ring - 1
        self._ring = ring

        def init(seg):
            seg.set_u32(_Q.CODEC_LENGTH, len(cid))
            seg.write(_Q.CODEC_ID, cid)

        self._seg = seg = create_or_open(ns, name, self._KIND, _Q.RING - 128 + ring, params=(limit, messages),
                                         param_names=("capacityBytes", "capacityMessages"), init=init)
        stored_len = max(0, min(seg.u32(_Q.CODEC_LENGTH), _Q.CODEC_ID_MAX))
        stored = seg.read(_Q.CODEC_ID, stored_len).decode("ascii", "replace")
        if not self._codec.accepts(stored):
            seg.close()
            raise SegmentMismatchError("queue '%s' in %s was created with codec '%s', not '%s'"
                                       % (name, ns.directory, stored, self._codec.id))
        self._b = seg.base
        self._mm = seg.mm
        self._counted = False
        self._max_message = (limit & ~15) - _Q.RECORD_HEADER
        self._owner = None              # the first thread to put: only it claims under a bias
        self._bias_word = 0
        self._uncontended = 0
        self._bias_after = _FIRST_BIAS_AFTER

    # ---- producer side ----

    def put(self, obj, block=True, timeout=None):
        """Puts a message, waiting (``block``) at most ``timeout`` seconds for room: ``queue.Full``."""
        data = self._codec.encode(obj)
        if _fast_put is not None and self._counted and not self._seg.closed:
            # The uncontended small put in C; anything else (busy, full, shut down) goes the long way.
            if not _fast_put(self._b, data, self._limit, self._max_messages, self._mask):
                return
        elif self._bias_word and _INLINE and self._biased_put(data):
            return
        self._put_bytes(data, deadline(block, timeout))

    def _biased_put(self, data):
        """The small put that fits now, under this handle's bias, inline; False: the long way
        (another thread, revoked, full, shut down, closed), which starts over."""
        n = len(data)
        seg = self._seg
        if (n > _Q.SMALL or seg._closed or threading.get_ident() != self._owner
                or (self._bias_word >> 32) & PID_MASK != ME.pid):
            return False
        u32, u64 = seg._u32, seg._u64
        u32[_Q.INSIDE >> 2] = 1
        if u64[_Q.BIAS >> 3] != self._bias_word or u32[_Q.SHUTDOWN >> 2]:
            u32[_Q.INSIDE >> 2] = 0
            return False
        tail = u64[_Q.TAIL >> 3]
        head = u64[_Q.HEAD >> 3]
        p = (tail >> _Q.COUNT_BITS) << 4
        rec = (_Q.RECORD_HEADER + n + 15) & ~15
        if (((p - ((head >> _Q.COUNT_BITS) << 4)) & _Q.POS_MASK) + rec > self._limit
                or ((tail - head) & _Q.COUNT_MASK) + 1 > self._max_messages):
            u32[_Q.INSIDE >> 2] = 0
            return False
        start = p & self._mask
        at = _Q.RING + start
        u64[(at + 8) >> 3] = ME.pid | ((ME.start & _START_MASK) << 22)
        first = self._ring - start - 16
        if n <= first:
            self._mm[at + 16:at + 16 + n] = data
        else:
            self._copy(p + 16, data)
        u64[at >> 3] = n                                       # committed before tail says it is there
        u64[_Q.PUT_TOTAL >> 3] += 1
        if u64[_Q.LAST_CLAIMER >> 3]:
            u64[_Q.LAST_CLAIMER >> 3] = 0
        u64[_Q.TAIL >> 3] = ((((p + rec) & _Q.POS_MASK) >> 4) << _Q.COUNT_BITS) | ((tail + 1) & _Q.COUNT_MASK)
        u32[_Q.INSIDE >> 2] = 0                                # release: our stores before a revoker's look
        if u32[_Q.NOT_EMPTY >> 2] & 1:
            self._signal(_Q.NOT_EMPTY)
        return True

    def put_nowait(self, obj):
        return self.put(obj, False)

    def _put_bytes(self, data, dl):
        seg = self._seg
        seg.check_open()
        n = len(data)
        if n > self._max_message:
            raise ValueError("message of %d bytes is larger than the largest queue '%s' carries (%d bytes)"
                             % (n, self.name, self._max_message))
        b = self._b
        if not self._counted:
            fetch_add32(b + _Q.PRODUCERS, 1)
            self._counted = True
            self._owner = threading.get_ident()
        rec = _record(n)
        while True:
            how = self._claim(dl)
            if how is None:
                raise Full
            if load32(b + _Q.SHUTDOWN):
                self._release(how)
                raise QueueShutDown("queue '%s' is shut down" % self.name)
            tail = load64(b + _Q.TAIL)
            head = load64(b + _Q.HEAD)
            used = (_pos(tail) - _pos(head)) & _Q.POS_MASK
            size = (_count(tail) - _count(head)) & _Q.COUNT_MASK
            if used + rec <= self._limit and size + 1 <= self._max_messages:
                break
            self._release(how)
            if not self._await_room(rec, dl):
                raise Full
        p = _pos(tail)
        at = _Q.RING + (p & self._mask)
        owner = ME.pid | ((ME.start & _START_MASK) << 22)
        seg.set_u64(at + 8, owner)
        small = n <= _Q.SMALL
        if small:
            self._copy(p + 16, data)
            seg.set_u64(at, n)
        else:
            seg.set_u64(at, _Q.IN_PROGRESS | n)
        seg.set_u64(_Q.PUT_TOTAL, seg.u64(_Q.PUT_TOTAL) + 1)
        if seg.u64(_Q.LAST_CLAIMER):
            seg.set_u64(_Q.LAST_CLAIMER, 0)      # no JVM handle may trust its own copy of tail now
        _atomic.store64(b + _Q.TAIL, _word(p + rec, _count(tail) + 1))
        self._release(how)                        # unlocked: a CAS or exchange, the fence before notEmpty
        if not small:
            self._copy(p + 16, data)
            _atomic.store64(b + at, n)            # the commit
            fence()
        self._signal(_Q.NOT_EMPTY)

    def _copy(self, pos, data):
        start = pos & self._mask
        n = len(data)
        first = min(n, self._ring - start)
        mm = self._mm
        mm[_Q.RING + start:_Q.RING + start + first] = data[:first] if first < n else data
        if first < n:
            mm[_Q.RING:_Q.RING + n - first] = data[first:]

    def _read(self, pos, n):
        start = pos & self._mask
        first = min(n, self._ring - start)
        mm = self._mm
        if first == n:
            return mm[_Q.RING + start:_Q.RING + start + n]
        return mm[_Q.RING + start:_Q.RING + start + first] + mm[_Q.RING:_Q.RING + n - first]

    def _claim(self, dl):
        """Enters a claim: under this handle's bias (owner thread, no atomic) or the claim lock.
        Returns how (_BIASED_CLAIM, _AT_ONCE, _AFTER_WAIT), or None if the deadline passed."""
        if self._bias_word and threading.get_ident() == self._owner:
            if (self._bias_word >> 32) & PID_MASK != ME.pid:
                self._bias_word = 0         # a forked child: the bias is its parent's, revoke it as anyone
                return self._claim(dl)
            # The holder's side of the revocation handshake (ClaimLock): INSIDE, then BIAS.
            seg = self._seg
            seg.set_u32(_Q.INSIDE, 1)
            if seg.u64(_Q.BIAS) == self._bias_word:
                return _BIASED_CLAIM
            _atomic.store32(self._b + _Q.INSIDE, 0)
            self._bias_word = 0             # revoked: earn it again, over a longer run each time
            self._uncontended = 0
            self._bias_after = min(self._bias_after << 1, _MAX_BIAS_AFTER)
        a = self._b + _Q.LOCK
        if cas32(a, 0, ME.pid):
            how = _AT_ONCE
        elif self._lock_slow(dl):
            how = _AFTER_WAIT
        else:
            return None
        _atomic.store64(self._b + _Q.LOCK_START, ME.start)
        return how

    def _release(self, how):
        """Leaves a claim; the owner thread biases the lock after a run of uncontended claims."""
        if how == _BIASED_CLAIM:
            # Release store: the claim's stores happen before a revoker that reads INSIDE == 0.
            _atomic.store32(self._b + _Q.INSIDE, 0)
            return
        if _BIAS_OK and threading.get_ident() == self._owner:
            self._uncontended = self._uncontended + 1 if how == _AT_ONCE else 0
            if (self._uncontended >= self._bias_after and load32(self._b + _Q.PRODUCERS) == 1
                    and _membarrier_registered()):
                global _biases
                _biases = (_biases + 1) & 0xFFFFFFFF
                word = 1 << 63 | ME.pid << 32 | _biases
                self._uncontended = 0
                # BIAS first, then the CAS (a full fence): BIAS is visible before the word says
                # BIASED, and before our first fenceless claim signals notEmpty.
                _atomic.store64(self._b + _Q.BIAS, word)
                if cas32(self._b + _Q.LOCK, ME.pid, ME.pid | _Q.BIASED):
                    self._bias_word = word
                    return
                _atomic.store64(self._b + _Q.BIAS, 0)   # a waiter set SLEEPERS meanwhile
        self._unlock()

    def _release_bias(self):
        """For close(): gives up this handle's bias if the lock still has it."""
        word, self._bias_word = self._bias_word, 0
        state = ME.pid | _Q.BIASED
        b = self._b
        while load64(b + _Q.BIAS) == word and load32(b + _Q.LOCK) == state:
            if cas32(b + _Q.LOCK, state, ME.pid):
                if self._finish_revoke(state, None, OwnerWatch()):
                    self._unlock()
                return

    def _lock(self, dl):
        a = self._b + _Q.LOCK
        if cas32(a, 0, ME.pid) or self._lock_slow(dl):
            _atomic.store64(self._b + _Q.LOCK_START, ME.start)
            return True
        return False

    def _unlock(self):
        a = self._b + _Q.LOCK
        if not cas32(a, ME.pid, 0):
            _atomic.xchg32(a, 0)
            futex_wake(a, 1)

    def _repair(self):
        # The dead holder may have counted putTotal without publishing tail: reconcile the two.
        seg = self._seg
        put_total = seg.u64(_Q.PUT_TOTAL)
        lost = (put_total - _count(load64(self._b + _Q.TAIL))) & _Q.COUNT_MASK
        _atomic.store64(self._b + _Q.PUT_TOTAL, put_total - lost)
        _atomic.store64(self._b + _Q.LAST_CLAIMER, 0)

    def _lock_slow(self, dl):
        seg = self._seg
        b = self._b
        a = b + _Q.LOCK
        pid = ME.pid
        if not load32(a) & _Q.BIASED:
            for _ in range(SPINS):
                if load32(a) == 0 and cas32(a, 0, pid):
                    return True
        watch = OwnerWatch()
        while True:
            seg.check_open()
            state = load32(a)
            if state == 0:
                if cas32(a, 0, pid | _Q.SLEEPERS):
                    return True
                continue
            if state & _Q.BIASED:
                if not cas32(a, state, pid):
                    continue
                result = self._finish_revoke(state, dl, watch)
                if result is not None:
                    return result
                # membarrier refused here: wait as for any live holder.
                left = slice_left(dl)
                if left <= 0:
                    return False
                futex_wait(a, state, left)
                continue
            if not state & _Q.SLEEPERS:
                if not cas32(a, state, state | _Q.SLEEPERS):
                    continue
                state |= _Q.SLEEPERS
            left = slice_left(dl)
            if left <= 0:
                return False
            futex_wait(a, state, left)
            if (load32(a) == state and watch.is_owner_dead(state, state & PID_MASK, load64(b + _Q.LOCK_START))
                    and cas32(a, state, pid | _Q.SLEEPERS)):
                self._repair()
                return True

    def _finish_revoke(self, state, dl, watch):
        """The word went from a JVM holder's pid|BIASED to our pid: clear bias, fence everyone,
        wait for the holder's claim to end. True taken, False timed out, None: no membarrier."""
        b = self._b
        _atomic.store64(b + _Q.BIAS, 0)
        if watch.is_owner_dead(state, state & PID_MASK, load64(b + _Q.LOCK_START)):
            _atomic.store32(b + _Q.INSIDE, 0)
            self._repair()
            return True
        if not _atomic.membarrier():
            self._give_back(state)
            return None
        while load32(b + _Q.INSIDE):
            if watch.is_owner_dead(state, state & PID_MASK, load64(b + _Q.LOCK_START)):
                _atomic.store32(b + _Q.INSIDE, 0)
                self._repair()
                return True
            if dl is not None and time.monotonic_ns() >= dl:
                self._give_back(state)
                return False
            futex_wait(b + _Q.INSIDE, 1, 100_000)
        return True

    def _give_back(self, state):
        a = self._b + _Q.LOCK
        if not cas32(a, ME.pid, state):
            _atomic.xchg32(a, state)
            futex_wake(a, _INT_MAX)

    # ---- event counts ----

    def _signal(self, offset):
        a = self._b + offset
        s = load32(a)
        while s & 1:
            if cas32(a, s, s + 1):
                futex_wake(a, _INT_MAX)
                return
            s = load32(a)

    def _prepare_wait(self, offset):
        a = self._b + offset
        while True:
            s = load32(a)
            if s & 1 or cas32(a, s, s | 1):
                fence()
                if offset == _Q.NOT_EMPTY and load64(self._b + _Q.BIAS):
                    _atomic.membarrier()    # a biased JVM producer signals without a fence
                return s | 1

    def _sleep(self, offset, value, dl):
        left = slice_left(dl)
        if left <= 0:
            return False
        futex_wait(self._b + offset, value, left)
        self._seg.check_open()
        return True

    def _await_room(self, rec, dl):
        b = self._b
        for _ in range(SPINS):      # a consumer on another core frees room within microseconds
            tail, head = load64(b + _Q.TAIL), load64(b + _Q.HEAD)
            if (((_pos(tail) - _pos(head)) & _Q.POS_MASK) + rec <= self._limit
                    and ((_count(tail) - _count(head)) & _Q.COUNT_MASK) + 1 <= self._max_messages):
                return True
        while True:
            s = self._prepare_wait(_Q.NOT_FULL)
            if load32(b + _Q.SHUTDOWN):
                raise QueueShutDown("queue '%s' is shut down" % self.name)
            tail, head = load64(b + _Q.TAIL), load64(b + _Q.HEAD)
            used = (_pos(tail) - _pos(head)) & _Q.POS_MASK
            size = (_count(tail) - _count(head)) & _Q.COUNT_MASK
            if used + rec <= self._limit and size + 1 <= self._max_messages:
                return True
            if not self._sleep(_Q.NOT_FULL, s, dl):
                return False

    # ---- consumer side ----

    def get(self, block=True, timeout=None):
        """Takes the oldest message, waiting (``block``) at most ``timeout`` seconds: ``queue.Empty``."""
        if _fast_get is not None and not self._seg.closed:
            data = _fast_get(self._b, self._max_message, self._mask)
            if data.__class__ is bytes:
                return self._codec.decode(data)
        elif _INLINE and not self._seg._closed:
            # A committed record at head, inline: one foreign call, the CAS that takes it.
            u64 = self._seg._u64
            head = u64[_Q.HEAD >> 3]
            p = (head >> _Q.COUNT_BITS) << 4
            if p != (u64[_Q.TAIL >> 3] >> _Q.COUNT_BITS) << 4:
                n = u64[(_Q.RING + (p & self._mask)) >> 3]
                if n <= self._max_message:                    # no flag set, and not torn
                    data = self._read(p + 16, n)
                    if cas64(self._b + _Q.HEAD, head, _word(p + _record(n), (head & _Q.COUNT_MASK) + 1)):
                        if self._seg._u32[_Q.NOT_FULL >> 2] & 1:
                            self._signal(_Q.NOT_FULL)
                        return self._codec.decode(data)
        return self._codec.decode(self._get_bytes(deadline(block, timeout)))

    def get_nowait(self):
        return self.get(False)

    def _get_bytes(self, dl):
        seg = self._seg
        seg.check_open()
        b = self._b
        pending_since = None
        spins = 0
        while True:
            head = load64(b + _Q.HEAD)
            tail = load64(b + _Q.TAIL)
            p = _pos(head)
            if p == _pos(tail):
                # Spin on the two words (plain loads, no atomic, no foreign call) for up to
                # _EMPTY_SPIN_NS before sleeping: a producer that puts again within that window
                # then needs no wake-up system call, which is most of a put's cost on the
                # ctypes path.
                if spins < SPINS:
                    spins += 1
                    continue
                if spins == SPINS:
                    spin_until = time.monotonic_ns() + _EMPTY_SPIN_NS
                    spins += 1
                    continue
                if time.monotonic_ns() < spin_until:
                    continue
                if load32(b + _Q.SHUTDOWN):
                    raise QueueShutDown("queue '%s' is shut down and empty" % self.name)
                s = self._prepare_wait(_Q.NOT_EMPTY)
                if _pos(load64(b + _Q.HEAD)) != _pos(load64(b + _Q.TAIL)) or load32(b + _Q.SHUTDOWN):
                    continue
                if not self._sleep(_Q.NOT_EMPTY, s, dl):
                    raise Empty
                continue
            at = _Q.RING + (p & self._mask)
            state = load64(b + at)
            n = state & _Q.LENGTH_MASK
            if state & _Q.ABANDONED:
                self._skip(head, n)
                continue
            if state & _Q.IN_PROGRESS:
                if load64(b + _Q.HEAD) != head:
                    continue
                now = time.monotonic_ns()
                if pending_since is None or pending_since[0] != head:
                    pending_since = (head, now)
                elif now - pending_since[1] >= SLICE_NS and self._claimer_dead(at):
                    if load64(b + at) & _Q.IN_PROGRESS:    # a commit just before death is delivered
                        self._skip(head, n)
                    continue
                s = self._prepare_wait(_Q.NOT_EMPTY)
                if load64(b + at) != state or load64(b + _Q.HEAD) != head:
                    continue
                if not self._sleep(_Q.NOT_EMPTY, s, dl):
                    raise Empty
                continue
            if n > self._max_message:
                continue                                    # torn read: head moved under us
            data = self._read(p + 16, n)
            if cas64(b + _Q.HEAD, head, _word(p + _record(n), _count(head) + 1)):
                self._signal(_Q.NOT_FULL)
                return data

    def _claimer_dead(self, at):
        owner = self._seg.u64(at + 8)
        pid = owner & PID_MASK
        start = owner >> 22
        actual = start_time_of(pid)
        return actual < 0 or (actual & _START_MASK) != start

    def _skip(self, head, n):
        b = self._b
        if cas64(b + _Q.HEAD, head, _word(_pos(head) + _record(n), _count(head) + 1)):
            fetch_add64(b + _Q.SKIPPED, 1)
            fetch_add64(b + _Q.DONE_TOTAL, 1)
            self._signal(_Q.JOINED)
            self._signal(_Q.NOT_FULL)

    # ---- snapshots and life cycle ----

    def qsize(self):
        self._seg.check_open()
        return (_count(load64(self._b + _Q.TAIL)) - _count(load64(self._b + _Q.HEAD))) & _Q.COUNT_MASK

    def empty(self):
        return self.qsize() == 0

    def full(self):
        return self.qsize() >= self._max_messages

    def shutdown(self):
        """Shuts the queue down for every process: puts fail, gets drain what is left."""
        if not self._lock(None):
            return
        _atomic.store32(self._b + _Q.SHUTDOWN, 1)
        self._unlock()
        for off in (_Q.NOT_EMPTY, _Q.NOT_FULL, _Q.JOINED):
            fetch_add32(self._b + off, 2)
            futex_wake(self._b + off, _INT_MAX)

    def close(self):
        """Closes this handle; the queue and its messages stay."""
        if self._seg.closed:
            return
        if self._bias_word:
            self._release_bias()
        if self._counted:
            fetch_add32(self._b + _Q.PRODUCERS, -1)     # after the bias: no claim of ours can follow
            self._counted = False
        self._seg.close()

    def join_thread(self):
        """Nothing to join: put is synchronous."""

    def cancel_join_thread(self):
        """Nothing to cancel: put is synchronous."""

    def __repr__(self):
        if self._seg.closed:
            return "<procsync.%s %r closed>" % (type(self).__name__, self.name)
        return "<procsync.%s %r size=%d>" % (type(self).__name__, self.name, self.qsize())


class JoinableQueue(Queue):
    """A Queue with ``task_done()`` and ``join()`` (kind JOINABLE_QUEUE), counted in shared memory."""

    _KIND = Kind.JOINABLE_QUEUE

    def task_done(self):
        self._seg.check_open()
        b = self._b
        while True:
            d = load64(b + _Q.DONE_TOTAL)
            put_total = load64(b + _Q.PUT_TOTAL)
            if d >= put_total:
                raise ValueError("task_done() called too many times")
            if cas64(b + _Q.DONE_TOTAL, d, d + 1):
                if d + 1 == load64(b + _Q.PUT_TOTAL):
                    self._signal(_Q.JOINED)
                return

    def join(self, timeout=None):
        """Waits until every message put has been marked done; False on timeout."""
        b = self._b
        dl = deadline(True, timeout)
        while True:
            if load64(b + _Q.PUT_TOTAL) - load64(b + _Q.DONE_TOTAL) <= 0:
                return True
            s = self._prepare_wait(_Q.JOINED)
            d = load64(b + _Q.DONE_TOTAL)
            if load64(b + _Q.PUT_TOTAL) - d <= 0:
                return True
            if not self._sleep(_Q.JOINED, s, dl):
                return False


class SimpleQueue(Queue):
    """The minimal queue (kind SIMPLE_QUEUE): ``put``, ``get``, ``empty``, ``close``."""

    _KIND = Kind.SIMPLE_QUEUE

    def __init__(self, ns, name, codec="json", capacity_bytes=None):
        super().__init__(ns, name, 0, codec, _Q.SIMPLE_DEFAULT_BYTES if capacity_bytes is None else capacity_bytes)
