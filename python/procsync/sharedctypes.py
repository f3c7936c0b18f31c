"""Value and Array for the numeric kinds (docs/layout/data-pipe.md), shared with the JVM's
SharedInt/SharedLong/SharedDouble/SharedBoolean and SharedIntArray/SharedLongArray/
SharedDoubleArray/SharedByteArray.

Typecodes: ``'i'`` int32, ``'l'``/``'q'`` int64, ``'d'`` float64, ``'?'`` bool (Value only),
``'b'``/``'B'`` bytes (Array only); or the matching ctypes type. A byte string of at most N
bytes (the JVM's SharedBytes) is ``Value(name, ctypes.c_char * N)`` or ``Value(name, "Ns")``. The initial value is applied by
the process that creates the segment only. As in multiprocessing, ``get_lock()`` is an RLock
(named ``<name>~lock``, the JVM's default too) unless ``lock`` is a Lock/RLock you pass, and
``lock=False`` gives no lock.
"""

import array
import ctypes
import re
import struct
import time

from . import _atomic
from ._layout import Data as _D
from ._layout import Header, Kind
from ._proc import ME, start_time_of
from ._segment import create_or_open

_TYPECODES = {"i": _D.TYPE_INT, "l": _D.TYPE_LONG, "q": _D.TYPE_LONG, "d": _D.TYPE_DOUBLE,
              "?": _D.TYPE_BOOLEAN, "b": _D.TYPE_BYTE, "B": _D.TYPE_BYTE}
_CTYPES = {ctypes.c_int: "i", ctypes.c_int32: "i", ctypes.c_long: "q", ctypes.c_longlong: "q",
           ctypes.c_int64: "q", ctypes.c_double: "d", ctypes.c_bool: "?", ctypes.c_byte: "b",
           ctypes.c_ubyte: "B", ctypes.c_char: "B"}
_VIEW_FORMAT = {_D.TYPE_INT: "i", _D.TYPE_LONG: "q", _D.TYPE_DOUBLE: "d", _D.TYPE_BYTE: "B"}


def _typecode(typecode_or_type):
    code = _CTYPES.get(typecode_or_type, typecode_or_type)
    if code not in _TYPECODES:
        raise NotImplementedError("procsync Python client: typecode %r has no shared kind; use one of "
                                  "'i', 'q', 'd', '?' (Value) or 'i', 'q', 'd', 'b' (Array)" % (typecode_or_type,))
    return code


class _Locking:
    def _init_lock(self, ns, name, lock):
        self._ns = ns
        self._lock_arg = lock
        self._lock = None

    def get_lock(self):
        if self._lock_arg is False:
            raise AttributeError("created with lock=False: no lock")
        if self._lock is None:
            if self._lock_arg is True or self._lock_arg is None:
                from ._rlock import RLock
                self._lock = RLock.default_of(self._ns, self.name)
            else:
                self._lock = self._lock_arg
        return self._lock

    def _close_lock(self):
        # Only the RLock this handle opened for itself; a lock passed in belongs to the caller.
        if self._lock is not None and self._lock is not self._lock_arg:
            self._lock.close()
        self._lock = None

    def acquire(self, *args, **kwargs):
        return self.get_lock().acquire(*args, **kwargs)

    def release(self):
        return self.get_lock().release()

    def __enter__(self):
        return self.get_lock().__enter__()

    def __exit__(self, *exc):
        return self.get_lock().__exit__(*exc)


class Value(_Locking):
    """A shared scalar (kind VALUE): ``v.value`` reads, ``v.value = x`` writes (both atomic)."""

    def __init__(self, ns, name, typecode_or_type, *args, lock=True):
        code = _typecode(typecode_or_type)
        t = _TYPECODES[code]
        if t == _D.TYPE_BYTE:
            raise NotImplementedError("procsync Python client: a Value of one byte has no shared kind; for a "
                                      "byte string use Value(name, ctypes.c_char * n) or Value(name, '<n>s')")
        self.name = name
        self._type = t
        initial = args[0] if args else None

        def init(seg):
            if initial is not None:
                self._store(seg, initial)

        self._seg = create_or_open(ns, name, Kind.VALUE, _D.VALUE_BODY_LENGTH, params=(t, 1),
                                   param_names=("type", "count"), mode=ns.mode, init=init)
        self._a = self._seg.base + _D.VALUE_OFFSET
        self._init_lock(ns, name, lock)

    def _store(self, seg, value):
        a = seg.base + _D.VALUE_OFFSET
        if self._type == _D.TYPE_DOUBLE:
            _atomic.xchg64(a, struct.unpack("<Q", struct.pack("<d", float(value)))[0])
        elif self._type == _D.TYPE_LONG:
            _atomic.xchg64(a, int(value))
        elif self._type == _D.TYPE_BOOLEAN:
            _atomic.xchg32(a, 1 if value else 0)
        else:
            v = int(value)
            if not -(1 << 31) <= v < (1 << 31):
                raise OverflowError("%d does not fit an int32 Value" % v)
            _atomic.xchg32(a, v)

    @property
    def value(self):
        self._seg.check_open()
        t = self._type
        if t == _D.TYPE_INT:
            v = _atomic.load32(self._a)
            return v - (1 << 32) if v >= 1 << 31 else v
        if t == _D.TYPE_BOOLEAN:
            return _atomic.load32(self._a) != 0
        v = _atomic.load64(self._a)
        if t == _D.TYPE_DOUBLE:
            return struct.unpack("<d", struct.pack("<Q", v))[0]
        return v - (1 << 64) if v >= 1 << 63 else v

    @value.setter
    def value(self, v):
        seg = self._seg
        seg.check_open()
        self._store(seg, v)
        # Wake watchers (an eventcount): only if someone watches.
        if _atomic.load32(seg.base + _D.VALUE_WATCHERS_OFFSET):
            _atomic.fetch_add32(seg.base + _D.VALUE_CHANGE_SEQ_OFFSET, 1)
            _atomic.futex_wake(seg.base + _D.VALUE_CHANGE_SEQ_OFFSET, 0x7FFFFFFF)

    def close(self):
        self._close_lock()
        self._seg.close()

    def __repr__(self):
        return "<procsync.Value %r %r>" % (self.name, self.value if not self._seg.closed else "closed")


class Array(_Locking):
    """A shared fixed-length array (kind ARRAY): indexing and slicing like ``multiprocessing.Array``.

    Elements are single aligned loads and stores; slices are plain copies, published to other
    processes through a lock or another synchronizer, as on the JVM.
    """

    def __init__(self, ns, name, typecode_or_type, size_or_initializer, lock=True):
        code = _typecode(typecode_or_type)
        t = _TYPECODES[code]
        if t == _D.TYPE_BOOLEAN:
            raise NotImplementedError("procsync Python client: there is no boolean Array kind; use 'b'")
        if isinstance(size_or_initializer, int):
            length, initial = size_or_initializer, None
        else:
            initial = list(size_or_initializer)
            length = len(initial)
        size = _D.TYPE_SIZES[t]
        if length < 0 or length > ((1 << 31) - 4096 - 128) // size:
            raise ValueError("array length out of range: %d" % length)
        self.name = name
        self._length = length

        def init(seg):
            if initial is not None:
                memoryview(seg.mm)[_D.ARRAY_OFFSET:_D.ARRAY_OFFSET + length * size].cast(
                    _VIEW_FORMAT[t])[:] = array.array(_VIEW_FORMAT[t], _pack_list(t, initial))

        self._seg = create_or_open(ns, name, Kind.ARRAY, length * size, params=(t, length),
                                   param_names=("type", "length"), mode=ns.mode, init=init)
        self._view = memoryview(self._seg.mm)[_D.ARRAY_OFFSET:_D.ARRAY_OFFSET + length * size].cast(
            _VIEW_FORMAT[t])
        self._init_lock(ns, name, lock)

    def __len__(self):
        return self._length

    def __getitem__(self, i):
        self._seg.check_open()
        v = self._view[i]
        return v.tolist() if isinstance(v, memoryview) else v

    def __setitem__(self, i, v):
        self._seg.check_open()
        if isinstance(i, slice) and not isinstance(v, (bytes, bytearray, memoryview, array.array)):
            v = array.array(self._view.format, v)
        self._view[i] = v

    def __iter__(self):
        return iter(self[:])

    def close(self):
        self._close_lock()
        self._view.release()
        self._seg.close()

    def __repr__(self):
        return "<procsync.Array %r len=%d>" % (self.name, self._length)


def _pack_list(t, values):
    return values if t != _D.TYPE_BYTE else [v & 0xFF for v in values]


_BYTES_SPEC = re.compile(r"([0-9]+)s")
_BYTE_CTYPES = (ctypes.c_char, ctypes.c_byte, ctypes.c_ubyte)
_STALL_CHECK_NS = 5_000_000
_MAX_BYTES = (1 << 31) - 1 - _D.BYTES_DATA_OFFSET
_MASK32 = 0xFFFFFFFF


def bytes_capacity(typecode_or_type):
    """N for a byte-string type (``ctypes.c_char * N``, ``"Ns"``), else None."""
    if isinstance(typecode_or_type, str):
        m = _BYTES_SPEC.fullmatch(typecode_or_type)
        return int(m.group(1)) if m else None
    if (isinstance(typecode_or_type, type) and issubclass(typecode_or_type, ctypes.Array)
            and typecode_or_type._type_ in _BYTE_CTYPES):
        return typecode_or_type._length_
    return None


class BytesValue(_Locking):
    """A byte string of at most ``capacity`` bytes (kind VALUE, type BYTE), the JVM's SharedBytes:
    ``v.value`` is a consistent copy of the whole value some write stored, never a torn mix;
    ``v.value = b"..."`` replaces it (``str`` is stored as UTF-8). Also ``v.raw`` (same as value:
    lengths are explicit, nothing is NUL-stripped) and ``len(v)``.

    A seqlock (data-pipe.md, "SharedBytes"): writers exclude each other by claiming the sequence
    word with their pid; readers never block writers and retry when a write overlapped their copy.
    A writer killed mid-write is detected by pid and start time after a few milliseconds, and its
    sequence is finished by whoever waits (the value is then what it had copied so far).
    """

    def __init__(self, ns, name, capacity, initial=None, lock=True):
        if not isinstance(capacity, int) or not 0 < capacity <= _MAX_BYTES:
            raise ValueError("shared bytes '%s': capacity must be 1..%d, got %r" % (name, _MAX_BYTES, capacity))
        self.name = name
        self.capacity = capacity
        first = None if initial is None else self._check(initial)

        def init(seg):
            if first:
                seg.set_u32(_D.LENGTH_OFFSET, len(first))
                seg.write(_D.BYTES_DATA_OFFSET, first)

        self._seg = create_or_open(ns, name, Kind.VALUE, _D.BYTES_DATA_OFFSET - Header.LENGTH + capacity,
                                   params=(_D.TYPE_BYTE, capacity), param_names=("type", "capacity"),
                                   mode=ns.mode, init=init)
        self._seq = self._seg.base + _D.SEQ_OFFSET
        self._init_lock(ns, name, lock)

    def _check(self, value):
        if isinstance(value, str):
            value = value.encode("utf-8")
        value = bytes(value)
        if len(value) > self.capacity:
            raise ValueError("shared bytes '%s': %d bytes do not fit its capacity of %d"
                             % (self.name, len(value), self.capacity))
        return value

    @property
    def value(self):
        seg = self._seg
        check_at = 0
        while True:
            seg.check_open()
            s1 = _atomic.load64(self._seq)
            if s1 & _MASK32:
                check_at = self._back_off(s1, check_at)
                continue
            n = max(0, min(self.capacity, seg.u32(_D.LENGTH_OFFSET)))
            out = seg.read(_D.BYTES_DATA_OFFSET, n)
            # The copy must be complete before seq is read again (free on x86-64: loads are not
            # reordered with older loads); an unchanged seq means no write overlapped it.
            _atomic.acquire_fence()
            if _atomic.load64(self._seq) == s1:
                return out

    @value.setter
    def value(self, v):
        data = self._check(v)
        seg = self._seg
        check_at = 0
        while True:
            seg.check_open()
            s = _atomic.load64(self._seq)
            # Claim the word with our pid: excludes other writers, tells readers a write is on.
            if not s & _MASK32 and _atomic.cas64(self._seq, s, s | ME.pid):
                break
            check_at = self._back_off(s, check_at)
        _atomic.store64(seg.base + _D.WRITER_START_OFFSET, ME.start)
        seg.set_u32(_D.LENGTH_OFFSET, len(data))
        seg.write(_D.BYTES_DATA_OFFSET, data)
        # Release: the bytes and length are visible to whoever reads the new version.
        _atomic.store64(self._seq, ((s >> 32) + 1) << 32)

    raw = value

    def __len__(self):
        self._seg.check_open()
        return max(0, min(self.capacity, self._seg.u32(_D.LENGTH_OFFSET)))

    def _back_off(self, seq, check_at):
        """Waits a little for a writer; after a stall of 5 ms checks whether it died and, if so,
        finishes its sequence. Returns the next stall-check time (0 if the word is stable)."""
        if not seq & _MASK32:
            return 0
        now = time.monotonic_ns()
        if check_at == 0:
            return now + _STALL_CHECK_NS
        if now < check_at:
            time.sleep(0)
            return check_at
        if self._writer_dead(seq):
            _atomic.cas64(self._seq, seq, ((seq >> 32) + 1) << 32)   # losing means someone moved on
            return 0
        time.sleep(0.0001)
        return now + _STALL_CHECK_NS

    def _writer_dead(self, seq):
        pid = seq & _MASK32
        if pid == ME.pid:
            return False
        start_at = self._seg.base + _D.WRITER_START_OFFSET
        actual = start_time_of(pid)
        if actual < 0:
            return _atomic.load64(self._seq) == seq
        if actual == _atomic.load64(start_at):
            return False
        # Another start time: a reused pid, or a live writer between its claim and its start-time
        # store. Dead only if the word is unchanged a stall period later.
        time.sleep(_STALL_CHECK_NS / 1e9)
        self._seg.check_open()
        return _atomic.load64(self._seq) == seq and actual != _atomic.load64(start_at)

    def close(self):
        self._close_lock()
        self._seg.close()

    def __repr__(self):
        if self._seg.closed:
            return "<procsync.Value %r closed>" % self.name
        return "<procsync.Value %r %d/%d bytes>" % (self.name, len(self), self.capacity)
