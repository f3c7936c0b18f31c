"""The atomics and futex calls without a compiler: libatomic's ``__atomic_*`` entry points and
libc's ``syscall`` through ctypes. Same functions, same meaning as ``procsync._native``.

libatomic is loaded with ``ctypes.PyDLL``, which keeps the GIL across the call: an atomic
instruction is over in nanoseconds, and holding the GIL makes the module's one scratch word for
compare-and-set's "expected" argument safe between threads. The futex wait goes through
``ctypes.CDLL``, which releases the GIL while the thread sleeps; a signal ends the sleep with
EINTR and Python runs its handler (KeyboardInterrupt) as soon as the call returns.
"""

import ctypes
import ctypes.util
import errno as _errno
import os
import platform

_SEQ_CST = 5

_SYS_FUTEX = {"x86_64": 202, "aarch64": 98}
_SYS_MEMBARRIER = {"x86_64": 324, "aarch64": 283}
_FUTEX_WAIT = 0
_FUTEX_WAKE = 1
_MEMBARRIER_CMD_GLOBAL_EXPEDITED = 1 << 1
_MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = 1 << 2


def _load_libatomic():
    names = [ctypes.util.find_library("atomic"), "libatomic.so.1", "libatomic.so"]
    for name in names:
        if name:
            try:
                return ctypes.PyDLL(name)
            except OSError:
                pass
    raise ImportError("procsync needs either its C extension (build it with a C compiler: "
                      "pip install ./python) or libatomic (Debian: apt-get install libatomic1)")


_machine = platform.machine()
if _machine not in _SYS_FUTEX:
    raise ImportError("procsync supports Linux x86_64 and aarch64, not " + _machine)

_atomic = _load_libatomic()
_libc = ctypes.CDLL(None, use_errno=True)
_libc_gil = ctypes.PyDLL(None, use_errno=True)

_cas4 = _atomic.__atomic_compare_exchange_4
_cas4.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_int]
_cas4.restype = ctypes.c_bool
_cas8 = _atomic.__atomic_compare_exchange_8
_cas8.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint64, ctypes.c_int, ctypes.c_int]
_cas8.restype = ctypes.c_bool
_add4 = _atomic.__atomic_fetch_add_4
_add4.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int]
_add4.restype = ctypes.c_uint32
_add8 = _atomic.__atomic_fetch_add_8
_add8.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.c_int]
_add8.restype = ctypes.c_uint64
_xchg4 = _atomic.__atomic_exchange_4
_xchg4.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int]
_xchg4.restype = ctypes.c_uint32
_xchg8 = _atomic.__atomic_exchange_8
_xchg8.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.c_int]
_xchg8.restype = ctypes.c_uint64

# Scratch words: the "expected" slots of compare-and-set and a target for fences. Safe to share
# between threads because PyDLL calls keep the GIL.
_scratch = (ctypes.c_uint64 * 2)()
_scratch_addr = ctypes.addressof(_scratch)
_fence_addr = _scratch_addr + 8

_syscall = _libc.syscall
_syscall.restype = ctypes.c_long
_nr_futex = _SYS_FUTEX[_machine]
_nr_membarrier = _SYS_MEMBARRIER[_machine]


class _Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


_MASK32 = 0xFFFFFFFF
_MASK64 = 0xFFFFFFFFFFFFFFFF


def cas32(address, expected, new):
    _scratch[0] = expected & _MASK32
    return _cas4(address, _scratch_addr, new & _MASK32, _SEQ_CST, _SEQ_CST)


def cas64(address, expected, new):
    _scratch[0] = expected & _MASK64
    return _cas8(address, _scratch_addr, new & _MASK64, _SEQ_CST, _SEQ_CST)


def fetch_add32(address, delta):
    return _add4(address, delta & _MASK32, _SEQ_CST)


def fetch_add64(address, delta):
    return _add8(address, delta & _MASK64, _SEQ_CST)


def xchg32(address, value):
    return _xchg4(address, value & _MASK32, _SEQ_CST)


def xchg64(address, value):
    return _xchg8(address, value & _MASK64, _SEQ_CST)


_X86 = _machine == "x86_64"

# Plain loads and stores go through memoryviews over the whole address space: an aligned index
# is one load or store instruction, without the cost of a foreign call.
_M32 = memoryview((ctypes.c_uint32 * (1 << 60)).from_address(0)).cast("B").cast("I")
_M64 = memoryview((ctypes.c_uint64 * (1 << 59)).from_address(0)).cast("B").cast("Q")


def load32(address):
    # On x86-64 every load is an acquire load; elsewhere a full fence after it makes it one.
    value = _M32[address >> 2]
    if not _X86:
        _add4(_fence_addr, 0, _SEQ_CST)
    return value


def load64(address):
    value = _M64[address >> 3]
    if not _X86:
        _add4(_fence_addr, 0, _SEQ_CST)
    return value


def store32(address, value):
    # On x86-64 every store is a release store; elsewhere a full fence before it makes it one.
    if not _X86:
        _add4(_fence_addr, 0, _SEQ_CST)
    _M32[address >> 2] = value & _MASK32


def store64(address, value):
    if not _X86:
        _add4(_fence_addr, 0, _SEQ_CST)
    _M64[address >> 3] = value & _MASK64


def fence():
    _add4(_fence_addr, 0, _SEQ_CST)


def futex_wait(address, expected, timeout_ns):
    """Sleeps while the word holds ``expected``; 0 woken (or it differed), 1 timed out."""
    if timeout_ns < 0:
        timeout_ns = 0
    ts = _Timespec(timeout_ns // 1_000_000_000, timeout_ns % 1_000_000_000)
    rc = _syscall(ctypes.c_long(_nr_futex), ctypes.c_void_p(address), ctypes.c_int(_FUTEX_WAIT),
                  ctypes.c_uint32(expected & _MASK32), ctypes.byref(ts), ctypes.c_void_p(0), ctypes.c_int(0))
    if rc == 0:
        return 0
    err = ctypes.get_errno()
    if err == _errno.ETIMEDOUT:
        return 1
    if err in (_errno.EINTR, _errno.EAGAIN):
        return 0
    raise OSError(err, "futex wait: " + os.strerror(err))


def futex_wake(address, n):
    n = min(n, 0x7FFFFFFF)
    rc = _libc_gil.syscall(ctypes.c_long(_nr_futex), ctypes.c_void_p(address), ctypes.c_int(_FUTEX_WAKE),
                           ctypes.c_int(n), ctypes.c_void_p(0), ctypes.c_void_p(0), ctypes.c_int(0))
    if rc < 0:
        err = ctypes.get_errno()
        raise OSError(err, "futex wake: " + os.strerror(err))
    return rc


def membarrier():
    return _syscall(ctypes.c_long(_nr_membarrier), ctypes.c_int(_MEMBARRIER_CMD_GLOBAL_EXPEDITED),
                    ctypes.c_int(0), ctypes.c_int(0)) == 0


def membarrier_register():
    """Registers this process to receive GLOBAL_EXPEDITED barriers (before it biases a queue's
    claim lock, whose revoker relies on them); True if the kernel accepted."""
    return _syscall(ctypes.c_long(_nr_membarrier), ctypes.c_int(_MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED),
                    ctypes.c_int(0), ctypes.c_int(0)) == 0


def set_identity(pid, start):
    """The C extension keeps the identity for its Lock path; nothing to keep here."""
