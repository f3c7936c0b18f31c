"""Chooses the atomics backend: the C extension when it is built, else libatomic via ctypes.

``PROCSYNC_NO_EXTENSION=1`` in the environment forces the ctypes path (the benchmarks compare
both in one run). ``ACCELERATED`` says which one is in use.
"""

import os
import platform

ACCELERATED = False
LockBase = None

if os.environ.get("PROCSYNC_NO_EXTENSION", "") not in ("1", "true", "yes"):
    try:
        from . import _native as _impl
        ACCELERATED = True
        LockBase = _impl.LockBase
    except ImportError:
        _impl = None
else:
    _impl = None

if _impl is None:
    from . import _ctypes_atomic as _impl

cas32 = _impl.cas32
cas64 = _impl.cas64
fetch_add32 = _impl.fetch_add32
fetch_add64 = _impl.fetch_add64
xchg32 = _impl.xchg32
xchg64 = _impl.xchg64
load32 = _impl.load32
load64 = _impl.load64
store32 = _impl.store32
store64 = _impl.store64
fence = _impl.fence
futex_wait = _impl.futex_wait
futex_wake = _impl.futex_wake
membarrier = _impl.membarrier
set_identity = _impl.set_identity


_X86 = platform.machine() == "x86_64"


def acquire_fence():
    """Orders earlier loads before later ones: free on x86-64 (TSO), a full fence elsewhere."""
    if not _X86:
        fence()
