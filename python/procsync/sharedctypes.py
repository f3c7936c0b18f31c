"""Value and Array for the numeric kinds (docs/layout/data-pipe.md), shared with the JVM's
SharedInt/SharedLong/SharedDouble/SharedBoolean and SharedIntArray/SharedLongArray/
SharedDoubleArray/SharedByteArray.

Typecodes: ``'i'`` int32, ``'l'``/``'q'`` int64, ``'d'`` float64, ``'?'`` bool (Value only),
``'b'``/``'B'`` bytes (Array only); or the matching ctypes type. The initial value is applied by
the process that creates the segment only. As in multiprocessing, ``get_lock()`` is an RLock
(named ``<name>.lock``, the JVM's default too) unless ``lock`` is a Lock/RLock you pass, and
``lock=False`` gives no lock.
"""

import array
import ctypes
import struct

from . import _atomic
from ._layout import Data as _D
from ._layout import Kind
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
                self._lock = RLock(self._ns, self.name + ".lock")
            else:
                self._lock = self._lock_arg
        return self._lock

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
            raise NotImplementedError("procsync Python client: a bytes Value (SharedBytes) is not implemented; "
                                      "use Array('b', n)")
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
        self._view.release()
        self._seg.close()

    def __repr__(self):
        return "<procsync.Array %r len=%d>" % (self.name, self._length)


def _pack_list(t, values):
    return values if t != _D.TYPE_BYTE else [v & 0xFF for v in values]
