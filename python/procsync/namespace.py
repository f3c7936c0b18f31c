"""Namespaces: a directory of segment files, found by the same rules as on the JVM."""

import errno
import os

from ._errors import ProcsyncError, UntrustedFileError
from ._segment import _validate_segment_name, check_trusted, dir_mode, validate_name

def default_root():
    """``$PROCSYNC_ROOT`` if set, else the JVM's per-user default ``/dev/shm/procsync-<euid>``
    (``NamespaceOptions.defaultRoot()``)."""
    root = os.environ.get("PROCSYNC_ROOT", "")
    return root if root else "/dev/shm/procsync-%d" % os.geteuid()


_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _open_dir(name, path, mode, dir_fd=None):
    """Opens (creating it 0-D if missing) a directory under the trust rule; returns its fd."""
    created = False
    try:
        os.mkdir(name, 0o700, dir_fd=dir_fd)
        created = True
    except FileExistsError:
        pass
    try:
        fd = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
    except OSError as e:
        if e.errno in (errno.ELOOP, errno.ENOTDIR):
            raise UntrustedFileError("%s is a symbolic link or not a directory: refused" % path) from None
        raise ProcsyncError("cannot open %s: %s" % (path, e.strerror)) from e
    try:
        if created:
            os.fchmod(fd, dir_mode(mode))
        check_trusted(fd, path, True, mode)
        return fd
    except BaseException:
        os.close(fd)
        raise


class Namespace:
    """A directory of named primitives, shared with every process (JVM or Python) that opens it.

    ``Namespace("tickets")`` is ``/dev/shm/procsync/tickets/`` (or under ``$PROCSYNC_ROOT``), the
    directory ``Procsync.open("tickets")`` uses on the JVM. Its factory methods have the names of
    ``multiprocessing``'s, plus the primitive's name: ``ns.Lock("db")``, ``ns.Queue("jobs")``.
    Files are created with ``mode`` (0600: only this user); the directory 0700 plus what the mode
    shares. The JVM's trust rule applies: the root, the directory and every file are opened
    without following symbolic links, and must be this user's with no mode bit beyond those.
    """

    def __init__(self, name, root=None, mode=0o600):
        validate_name("namespace", name)
        if mode & ~0o777 or mode & 0o600 != 0o600:
            raise ValueError("file mode must be within 0777 and include owner rw (0600): 0%o" % mode)
        self.name = name
        self.root = root if root is not None else default_root()
        self.mode = mode
        self.directory = os.path.join(self.root, name)
        parent = os.path.dirname(os.path.abspath(self.root))
        try:
            os.makedirs(parent, exist_ok=True)     # above the root: the user's choice, not checked
        except OSError as e:
            raise ProcsyncError("cannot create %s: %s" % (parent, e)) from e
        root_fd = _open_dir(os.path.abspath(self.root), self.root, mode)
        try:
            self.dfd = _open_dir(name, self.directory, mode, dir_fd=root_fd)
        finally:
            os.close(root_fd)

    def __repr__(self):
        return "Namespace(%r, root=%r)" % (self.name, self.root)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        """Closes the namespace directory's descriptor; handles already open keep working."""
        if self.dfd >= 0:
            os.close(self.dfd)
            self.dfd = -1

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    # ---- primitives: multiprocessing's names, plus the name in the namespace ----

    def Lock(self, name):
        from .synchronize import Lock
        return Lock(self, name)

    def RLock(self, name):
        from .synchronize import RLock
        return RLock(self, name)

    def Semaphore(self, name, value=1):
        from .synchronize import Semaphore
        return Semaphore(self, name, value)

    def BoundedSemaphore(self, name, value=1):
        from .synchronize import BoundedSemaphore
        return BoundedSemaphore(self, name, value)

    def Event(self, name):
        from .synchronize import Event
        return Event(self, name)

    def Condition(self, name, lock=None):
        """A condition over ``lock`` (a procsync Lock or RLock), or over its own RLock
        ``<name>~lock`` (the JVM's ``ns.condition(name)``)."""
        from ._condition import Condition
        return Condition(self, name, lock)

    def Barrier(self, name, parties, action=None, timeout=None):
        from .synchronize import Barrier
        return Barrier(self, name, parties, action, timeout)

    def Value(self, name, typecode_or_type, *args, lock=True):
        """A shared scalar, or a byte string of at most N bytes for ``ctypes.c_char * N`` or
        ``"Ns"`` (the JVM's ``ns.sharedBytes(name, N)``)."""
        from .sharedctypes import BytesValue, Value, bytes_capacity
        capacity = bytes_capacity(typecode_or_type)
        if capacity is not None:
            return BytesValue(self, name, capacity, *args, lock=lock)
        return Value(self, name, typecode_or_type, *args, lock=lock)

    def Array(self, name, typecode_or_type, size_or_initializer, lock=True):
        from .sharedctypes import Array
        return Array(self, name, typecode_or_type, size_or_initializer, lock=lock)

    def SharedMemory(self, name, create=False, size=0):
        from .shared_memory import SharedMemory
        return SharedMemory(self, name, create, size)

    def Queue(self, name, maxsize=0, codec="json", capacity_bytes=None):
        from .queues import Queue
        return Queue(self, name, maxsize, codec, capacity_bytes)

    def JoinableQueue(self, name, maxsize=0, codec="json", capacity_bytes=None):
        from .queues import JoinableQueue
        return JoinableQueue(self, name, maxsize, codec, capacity_bytes)

    def SimpleQueue(self, name, codec="json", capacity_bytes=None):
        from .queues import SimpleQueue
        return SimpleQueue(self, name, codec, capacity_bytes)

    def Pipe(self, name, duplex=True, end=None, capacity=None, codec="bytes"):
        """Both ends ``(A, B)`` of the named pipe, or only ``end`` ("A" or "B"), as the JVM's
        ``Pipe.open``/``Pipe.end``: one-way, A reads and B writes. ``capacity``: ring bytes per
        direction (default 256 KiB); ``codec`` of send/recv (default ``"bytes"``, as the JVM's)."""
        from ._layout import Pipe as _P
        from .connection import Pipe
        return Pipe(self, name, duplex, end, _P.DEFAULT_CAPACITY if capacity is None else capacity, codec)

    def unlink(self, name):
        """Removes the name (handles already open keep working); False if it did not exist. Takes
        derived names too (``x~lock``, the default lock of ``x``), as the JVM's ``unlink`` does."""
        _validate_segment_name(name)
        try:
            os.unlink(name, dir_fd=self.dfd)
            return True
        except FileNotFoundError:
            return False
