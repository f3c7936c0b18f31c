"""SharedMemory (kind SHARED_MEMORY, docs/layout/data-pipe.md): a raw block shared by name with
the JVM's ``SharedMemory.create/attach``; ``multiprocessing.shared_memory.SharedMemory``'s twin."""

import os

from ._layout import Data as _D
from ._layout import Header, Kind
from ._segment import create_segment, open_segment, validate_name


class SharedMemory:
    """``create=True`` makes a new block of ``size`` bytes (zeroed; FileExistsError if the name
    exists); ``create=False`` attaches to an existing one and takes its size from the header.
    ``buf`` is a memoryview of exactly ``size`` bytes. ``close()`` unmaps; ``unlink()`` removes the
    name (never implied by close)."""

    def __init__(self, ns, name, create=False, size=0):
        validate_name("name", name)
        self._ns = ns
        self._name = name
        if create:
            if size <= 0:
                raise ValueError("'size' must be a positive number different from zero")
            self._seg = create_segment(ns, name, Kind.SHARED_MEMORY, size, params=(size,), mode=ns.mode)
        else:
            self._seg = open_segment(ns, name, Kind.SHARED_MEMORY)
            size = self._seg.i64(Header.PARAM_OFFSET)
            if size < 0 or _D.MEMORY_OFFSET + size > self._seg.length:
                self._seg.close()
                raise ValueError("shared memory '%s': size %d does not fit its file" % (name, size))
        self._size = size
        self._buf = memoryview(self._seg.mm)[_D.MEMORY_OFFSET:_D.MEMORY_OFFSET + size]

    @property
    def name(self):
        return self._name

    @property
    def size(self):
        return self._size

    @property
    def buf(self):
        return self._buf

    def close(self):
        if self._buf is not None:
            self._buf.release()
            self._buf = None
        self._seg.close()

    def unlink(self):
        """Removes the name; a name already gone counts as unlinked."""
        try:
            os.unlink(self._name, dir_fd=self._ns.dfd)
        except FileNotFoundError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return "SharedMemory(%r, size=%d)" % (self._name, self._size)


