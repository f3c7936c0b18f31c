"""Segment files: the create-or-open protocol and the header (docs/layout/foundation.md).

A segment is one file in a namespace directory, mapped MAP_SHARED. Creation is race-free across
processes and languages: a private temporary file is filled, published as ready, and then
linked to the real name; ``link`` failing with EEXIST means another process won, and its file is
opened instead. An opener checks magic, the ready word (waiting up to 2 s), version, length,
body offset and kind, then the kind and parameters it expects. Nothing is ever re-initialised.
"""

import ctypes
import errno
import mmap
import stat
import os
import re
import secrets
import time

from . import _atomic
from ._errors import (ClosedError, InvalidSegmentError, ProcsyncError, SegmentMismatchError,
                      SegmentNotFoundError, UntrustedFileError)
from ._layout import CREATING_SUFFIX, NAME_PATTERN, PAGE, READY_WAIT_NS, Header, Kind, Semaphore
from ._proc import ME

_NAME = re.compile(NAME_PATTERN)
_SEGMENT_NAME = re.compile(NAME_PATTERN + r"(~[a-z]{1,16})?")
DERIVED_MARK = "~"
_MAX_LENGTH = (1 << 31) - 1


def validate_name(what, name):
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError("invalid %s %r: use 1-128 of [A-Za-z0-9._-], starting with a letter or digit "
                         "(no '/', '..' or NUL)" % (what, name))
    return name


def derived_name(owner, purpose):
    """``<owner>~<purpose>``: a segment procsync keeps for a user's primitive (the JVM's
    ``SegmentFiles.derivedName``), e.g. ``x~lock``, the default RLock of value or condition ``x``.
    A user name cannot contain ``~``, so it never collides with one."""
    validate_name("name", owner)
    name = owner + DERIVED_MARK + purpose
    if not _SEGMENT_NAME.fullmatch(name):
        raise ValueError("invalid purpose of a derived name: %r" % (purpose,))
    return name


def _validate_segment_name(name):
    if isinstance(name, str) and DERIVED_MARK in name and _SEGMENT_NAME.fullmatch(name):
        return name
    return validate_name("name", name)


def dir_mode(file_mode):
    """The trust rule's directory mode D for a file mode F: F | 0700, plus search bits."""
    mode = file_mode | 0o700
    if mode & 0o060:
        mode |= 0o010
    if mode & 0o006:
        mode |= 0o001
    return mode


def check_trusted(fd, path, is_dir, file_mode):
    """The trust rule (foundation.md), on a descriptor: type, owner, and no mode bit beyond F or D."""
    st = os.fstat(fd)
    if is_dir and not stat.S_ISDIR(st.st_mode):
        raise UntrustedFileError("%s is not a directory" % path)
    if not is_dir and not stat.S_ISREG(st.st_mode):
        raise UntrustedFileError("%s is not a regular file" % path)
    if st.st_uid != os.geteuid():
        raise UntrustedFileError("%s is owned by uid %d, not by this user (uid %d)" % (path, st.st_uid, os.geteuid()))
    allowed = dir_mode(file_mode) if is_dir else file_mode
    bits = stat.S_IMODE(st.st_mode)
    if bits & ~allowed:
        raise UntrustedFileError("%s has mode 0%o, wider than the trusted 0%o" % (path, bits, allowed))


def total_length(body_length):
    return (Header.LENGTH + body_length + PAGE - 1) & ~(PAGE - 1)


class Segment:
    """One mapped segment file. Offsets are absolute from the start of the file."""

    __slots__ = ("path", "kind", "length", "base", "_mm", "_u32", "_u64", "_closed")

    def __init__(self, path, fd, length):
        self.path = path
        self.length = length
        self._mm = mmap.mmap(fd, length, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
        view = ctypes.c_char.from_buffer(self._mm)
        self.base = ctypes.addressof(view)
        del view
        self._u32 = memoryview(self._mm).cast("I")
        self._u64 = memoryview(self._mm).cast("Q")
        self.kind = 0
        self._closed = False

    # Plain accesses. On x86-64 an aligned load is an acquire load and a store a release store;
    # the atomics backend is used where the word protocol needs a locked instruction or a fence.
    def u32(self, offset):
        return self._u32[offset >> 2]

    def u64(self, offset):
        return self._u64[offset >> 3]

    def set_u32(self, offset, value):
        self._u32[offset >> 2] = value & 0xFFFFFFFF

    def set_u64(self, offset, value):
        self._u64[offset >> 3] = value & 0xFFFFFFFFFFFFFFFF

    def i64(self, offset):
        v = self._u64[offset >> 3]
        return v - (1 << 64) if v >= 1 << 63 else v

    def read(self, offset, n):
        return self._mm[offset:offset + n]

    def write(self, offset, data):
        self._mm[offset:offset + len(data)] = data

    @property
    def mm(self):
        return self._mm

    def check_open(self):
        if self._closed:
            raise ClosedError("%s: handle is closed" % self.path)

    @property
    def closed(self):
        return self._closed

    def close(self):
        if self._closed:
            return
        self._closed = True
        self._u32.release()
        self._u64.release()
        try:
            self._mm.close()
        except BufferError:
            # A caller still holds a view (SharedMemory.buf): the mapping goes with the last view.
            pass


def _open_existing(ns, name):
    path = os.path.join(ns.directory, name)
    try:
        fd = os.open(name, os.O_RDWR | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=ns.dfd)
    except FileNotFoundError:
        raise SegmentNotFoundError(path + " does not exist") from None
    except OSError as e:
        if e.errno in (errno.ELOOP, errno.ENOTDIR):
            raise UntrustedFileError("%s is a symbolic link: refused, never followed" % path) from None
        raise ProcsyncError("cannot open %s: %s" % (path, e.strerror)) from e
    try:
        check_trusted(fd, path, False, ns.mode)
        size = os.fstat(fd).st_size
        if size < Header.LENGTH:
            raise InvalidSegmentError("%s: %d bytes is shorter than the %d-byte header (truncated, empty or "
                                      "foreign)" % (path, size, Header.LENGTH))
        if size > _MAX_LENGTH:
            raise InvalidSegmentError("%s: %d bytes is larger than any segment" % (path, size))
        seg = Segment(path, fd, size)
    finally:
        os.close(fd)
    try:
        magic = seg.u64(Header.MAGIC_OFFSET)
        if magic != Header.MAGIC:
            raise InvalidSegmentError("%s: not a procsync segment (magic 0x%x, expected 0x%x)"
                                      % (path, magic, Header.MAGIC))
        deadline = time.monotonic_ns() + READY_WAIT_NS
        while True:
            ready = _atomic.load32(seg.base + Header.READY_OFFSET)
            if ready == Header.READY:
                break
            left = deadline - time.monotonic_ns()
            if left <= 0:
                raise InvalidSegmentError("%s: not published as ready within %d ms (ready word %d)"
                                          % (path, READY_WAIT_NS // 1_000_000, ready))
            _atomic.futex_wait(seg.base + Header.READY_OFFSET, ready, min(left, 10_000_000))
        version = seg.u32(Header.VERSION_OFFSET)
        code = seg.u32(Header.KIND_OFFSET)
        if code in (Kind.SEMAPHORE, Kind.BOUNDED_SEMAPHORE) and version == Semaphore.UNDO_VERSION:
            # The JVM's SemaphoreOptions.undoOnDeath(): every permit change goes through a ledger this
            # client does not keep. Changing the count without it would corrupt the JVMs' accounting.
            raise NotImplementedError(
                "%s: a %s in the undo-on-death mode (SemaphoreOptions.undoOnDeath(%d), layout version %d): "
                "the Python client does not support that mode; use it from the JVM, or a plain semaphore"
                % (path, Kind.name_of(code), seg.u64(Header.PARAM_OFFSET + 8 * Semaphore.PARAM_UNDO_SLOTS),
                   version))
        if version != Header.LAYOUT_VERSION:
            raise InvalidSegmentError("%s: layout version %d but this client reads %d%s" % (
                path, version, Header.LAYOUT_VERSION,
                " (written by a newer procsync)" if version > Header.LAYOUT_VERSION else ""))
        total = seg.u64(Header.TOTAL_LENGTH_OFFSET)
        if total != size:
            raise InvalidSegmentError("%s: header says %d bytes but the file has %d (truncated or damaged)"
                                      % (path, total, size))
        if total % PAGE:
            raise InvalidSegmentError("%s: %d bytes is not a whole number of pages" % (path, total))
        body = seg.u32(Header.BODY_OFFSET_OFFSET)
        if body != Header.LENGTH:
            raise InvalidSegmentError("%s: body offset %d, expected %d" % (path, body, Header.LENGTH))
        kind = seg.u32(Header.KIND_OFFSET)
        if Kind.name_of(kind).startswith("kind "):
            raise InvalidSegmentError("%s: unknown segment kind code %d" % (path, kind))
        seg.kind = kind
        return seg
    except BaseException:
        seg.close()
        raise


def open_segment(ns, name, kind, params=(), param_names=(), body_length=0):
    """Opens an existing segment and checks its kind, the given header params and its length."""
    _validate_segment_name(name)
    directory = ns.directory
    seg = _open_existing(ns, name)
    try:
        if seg.kind != kind:
            raise SegmentMismatchError("'%s' in %s is a %s, not a %s"
                                       % (name, directory, Kind.name_of(seg.kind), Kind.name_of(kind)))
        for i, want in enumerate(params):
            stored = seg.i64(Header.PARAM_OFFSET + 8 * i)
            if stored != want:
                pname = param_names[i] if i < len(param_names) else "param%d" % i
                raise SegmentMismatchError("%s '%s' in %s was created with %s=%d, not %s=%d" % (
                    Kind.name_of(kind), name, directory, pname, stored, pname, want))
        if seg.length < total_length(body_length):
            raise InvalidSegmentError("%s: %d bytes is too short for a %s of %d body bytes"
                                      % (seg.path, seg.length, Kind.name_of(kind), body_length))
        return seg
    except BaseException:
        seg.close()
        raise


def create_segment(ns, name, kind, body_length, params=(), mode=0o600, init=None):
    """Creates a segment; raises FileExistsError if the name exists."""
    _validate_segment_name(name)
    directory, dfd = ns.directory, ns.dfd
    target = os.path.join(directory, name)
    temp = ".%s.%d.%x%s" % (name, ME.pid, secrets.randbits(63), CREATING_SUFFIX)
    length = total_length(body_length)
    try:
        fd = os.open(temp, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW, mode, dir_fd=dfd)
    except OSError as e:
        raise ProcsyncError("cannot create %s: %s" % (target, e.strerror)) from e
    seg = None
    published = False
    try:
        os.fchmod(fd, mode)
        try:
            os.posix_fallocate(fd, 0, length)
        except OSError as e:
            raise ProcsyncError("cannot reserve %d bytes for %s: %s%s" % (
                length, target, e.strerror,
                " (the file system under %s is full)" % directory if e.errno == 28 else "")) from e
        seg = Segment(target, fd, length)
        seg.set_u64(Header.MAGIC_OFFSET, Header.MAGIC)
        seg.set_u32(Header.VERSION_OFFSET, Header.LAYOUT_VERSION)
        seg.set_u32(Header.KIND_OFFSET, kind)
        seg.set_u64(Header.TOTAL_LENGTH_OFFSET, length)
        for i, value in enumerate(params):
            seg.set_u64(Header.PARAM_OFFSET + 8 * i, value)
        seg.set_u32(Header.CREATOR_PID_OFFSET, ME.pid)
        seg.set_u64(Header.CREATOR_START_OFFSET, ME.start)
        seg.set_u64(Header.CREATED_AT_OFFSET, time.time_ns() // 1_000_000)
        seg.set_u32(Header.BODY_OFFSET_OFFSET, Header.LENGTH)
        if init is not None:
            init(seg)
        # Publish: every store above is ordered before an opener's acquire read of ready.
        _atomic.store32(seg.base + Header.READY_OFFSET, Header.READY)
        seg.kind = kind
        # FileExistsError: another process won the race.
        os.link(temp, name, src_dir_fd=dfd, dst_dir_fd=dfd, follow_symlinks=False)
        published = True
        return seg
    finally:
        os.close(fd)
        try:
            os.unlink(temp, dir_fd=dfd)
        except OSError:
            pass
        if not published and seg is not None:
            seg.close()


def create_or_open(ns, name, kind, body_length, params=(), param_names=(), mode=None, init=None, derived=False):
    """Opens the named segment, creating it if missing (both sides of a creation race agree).
    ``derived``: the name is a :func:`derived_name`, which no user-facing factory accepts."""
    if derived:
        _validate_segment_name(name)
    else:
        validate_name("name", name)
    directory = ns.directory
    mode = ns.mode if mode is None else mode
    for _ in range(101):
        try:
            return open_segment(ns, name, kind, params, param_names, body_length)
        except SegmentNotFoundError:
            try:
                return create_segment(ns, name, kind, body_length, params, mode, init)
            except FileExistsError:
                continue
    raise ProcsyncError("cannot create or open %s: it keeps appearing and disappearing"
                        % os.path.join(directory, name))

