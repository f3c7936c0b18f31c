"""Namespaces: a directory of segment files, found by the same rules as on the JVM."""

import os

from ._errors import ProcsyncError
from ._segment import validate_name

DEFAULT_ROOT = "/dev/shm/procsync"


def default_root():
    """``$PROCSYNC_ROOT`` if set, else the JVM's default root (``NamespaceOptions.DEFAULT_ROOT``)."""
    root = os.environ.get("PROCSYNC_ROOT", "")
    return root if root else DEFAULT_ROOT


def _dir_mode(file_mode):
    mode = file_mode | 0o700
    if mode & 0o060:
        mode |= 0o010
    if mode & 0o006:
        mode |= 0o001
    return mode


class Namespace:
    """A directory of named primitives, shared with every process (JVM or Python) that opens it.

    ``Namespace("tickets")`` is ``/dev/shm/procsync/tickets/`` (or under ``$PROCSYNC_ROOT``), the
    directory ``Procsync.open("tickets")`` uses on the JVM. Its factory methods have the names of
    ``multiprocessing``'s, plus the primitive's name: ``ns.Lock("db")``, ``ns.Queue("jobs")``.
    Files are created with ``mode`` (0600: only this user); the directory 0700 plus what the mode
    shares.
    """

    def __init__(self, name, root=None, mode=0o600):
        validate_name("namespace", name)
        if mode & ~0o777 or mode & 0o600 != 0o600:
            raise ValueError("file mode must be within 0777 and include owner rw (0600): 0%o" % mode)
        self.name = name
        self.root = root if root is not None else default_root()
        self.mode = mode
        self.directory = os.path.join(self.root, name)
        try:
            os.makedirs(self.root, exist_ok=True)
            try:
                os.mkdir(self.directory, _dir_mode(mode))
                os.chmod(self.directory, _dir_mode(mode))
            except FileExistsError:
                if not os.path.isdir(self.directory) or os.path.islink(self.directory):
                    raise ProcsyncError("namespace '%s': %s exists and is not a directory"
                                        % (name, self.directory)) from None
        except OSError as e:
            raise ProcsyncError("cannot create namespace directory %s: %s" % (self.directory, e)) from e

    def __repr__(self):
        return "Namespace(%r, root=%r)" % (self.name, self.root)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def close(self):
        """Nothing to release: every handle is closed on its own."""

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
        raise NotImplementedError("procsync Python client: Condition (kind 6) is not implemented yet; "
                                  "use an Event or a Queue, or the JVM API")

    def Barrier(self, name, parties, action=None, timeout=None):
        from .synchronize import Barrier
        return Barrier(self, name, parties, action, timeout)

    def Value(self, name, typecode_or_type, *args, lock=True):
        from .sharedctypes import Value
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

    def Pipe(self, name, duplex=True):
        raise NotImplementedError("procsync Python client: Pipe (kind 14) is not implemented yet; "
                                  "use two Queues, or the JVM API")

    def unlink(self, name):
        """Removes the name (handles already open keep working); False if it did not exist."""
        validate_name("name", name)
        try:
            os.unlink(os.path.join(self.directory, name))
            return True
        except FileNotFoundError:
            return False
