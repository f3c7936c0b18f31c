"""procsync for Python: multiprocessing's primitives, shared by name with JVM processes.

    import procsync
    ns = procsync.Namespace("tickets")      # /dev/shm/procsync-<uid>/tickets/, as Procsync.open("tickets")
    lock = ns.Lock("db")                    # the JVM's ns.lock("db")
    with lock:
        ...

``procsync.accelerated`` is True when the C extension does the atomic instructions and futex
calls, False when the ctypes fallback (libatomic) does.
"""

from . import _atomic
from ._errors import (ClosedError, InvalidSegmentError, ProcsyncError, SegmentMismatchError,
                      SegmentNotFoundError, UntrustedFileError)
from .namespace import Namespace, default_root

accelerated = _atomic.ACCELERATED

if accelerated:
    _atomic._impl.set_closed_error(ClosedError)

__version__ = "0.1.0"

__all__ = ["Namespace", "default_root", "accelerated", "ProcsyncError", "SegmentNotFoundError",
           "SegmentMismatchError", "InvalidSegmentError", "ClosedError", "UntrustedFileError"]
