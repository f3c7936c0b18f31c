"""Pipe and Connection (kind PIPE, docs/layout/data-pipe.md): the JVM's dev.procsync.channel.Pipe,
PipeRing, PipeSender and Connection, word for word.

Each direction is a single-producer single-consumer byte ring. A message is an 8-byte
little-endian length followed by its bytes; frames wrap around the ring end, and a message larger
than the free space streams through it (the writer publishes head each time the ring fills, the
reader publishes tail each time it drains). Sleeping is an eventcount per side:

    waiter:  waiting += 1 (atomic: a full fence); seq = seqWord; if ready: done;
             else FUTEX_WAIT(seqWord, seq, slice); finally waiting -= 1
    waker:   store head or tail and fence (one exchange); if waiting: seqWord += 1; FUTEX_WAKE all

Either the waker sees the waiter's count or the waiter sees the new head/tail (Dekker). A writer
facing a full ring waits for ``min(rest of its frame, capacity / 2)`` free bytes (writerWants),
so the two sides do not trade one message and one wake-up at a time.

An end's owner word is 0 (never opened), its pid while open, -1 once closed; the pid's start time
follows it. A peer whose word holds a pid no longer alive with that start time is dead, as if
closed: its reader gets EOFError after the buffered messages, its writer BrokenPipeError.
"""

import struct
import threading
import time

from ._atomic import cas32, fetch_add32, futex_wait, futex_wake, load32, load64, store32, store64, xchg64
from ._errors import ClosedError, ProcsyncError, SegmentMismatchError
from ._layout import SLICE_NS, Kind
from ._layout import Pipe as _P
from ._proc import ME, start_time_of
from ._segment import create_or_open
from ._wait import SPINS, deadline
from .codecs import codec as _codec

_CLOSED = _P.CLOSED & 0xFFFFFFFF
_INT_MAX = 0x7FFFFFFF
_LEN = struct.Struct("<Q")
_READY, _TIMED_OUT, _PEER_GONE = 0, 1, 2


class EndOfPipeError(ProcsyncError, EOFError):
    """The peer end is closed or its process died, and every message it sent has been received
    (EOFError, as multiprocessing's recv raises)."""


class BrokenPipeError_(ProcsyncError, BrokenPipeError):
    """The peer end is closed or its process died: nothing more can be sent (BrokenPipeError)."""


class PipeEndUnavailableError(ProcsyncError):
    """The end is open in another process, was closed, or belonged to a process that died: each
    end opens once (unlink the pipe to reuse its name)."""


class MessageTooLongError(ProcsyncError, OSError):
    """The next message is longer than ``maxlength``; it stays first in the pipe."""


class _Ring:
    """One direction's control block and data (PipeRing)."""

    __slots__ = ("seg", "mm", "b", "ctl", "data", "capacity", "mask")

    def __init__(self, seg, ctl, data, capacity):
        self.seg = seg
        self.mm = seg.mm
        self.b = seg.base
        self.ctl = seg.base + ctl
        self.data = data
        self.capacity = capacity
        self.mask = capacity - 1

    def head(self):
        return load64(self.ctl + _P.HEAD)

    def tail(self):
        return load64(self.ctl + _P.TAIL)

    def publish_head(self, head):
        # The exchange is the release store and the StoreLoad fence before reading the count.
        xchg64(self.ctl + _P.HEAD, head)
        if load32(self.ctl + _P.READERS_WAITING):
            fetch_add32(self.ctl + _P.DATA_SEQ, 1)
            futex_wake(self.ctl + _P.DATA_SEQ, _INT_MAX)

    def publish_tail(self, tail, head):
        # A stale (smaller) head only overstates the free space: a spurious wake-up, never a lost one.
        xchg64(self.ctl + _P.TAIL, tail)
        if (load32(self.ctl + _P.WRITERS_WAITING)
                and self.capacity - (head - tail) >= load64(self.ctl + _P.WRITER_WANTS)):
            fetch_add32(self.ctl + _P.SPACE_SEQ, 1)
            futex_wake(self.ctl + _P.SPACE_SEQ, _INT_MAX)

    def wake_all(self):
        for word in (_P.DATA_SEQ, _P.SPACE_SEQ):
            fetch_add32(self.ctl + word, 1)
            futex_wake(self.ctl + word, _INT_MAX)

    def copy_in(self, pos, data):
        n = len(data)
        index = pos & self.mask
        first = min(n, self.capacity - index)
        at = self.data + index
        self.mm[at:at + first] = data[:first] if first < n else data
        if first < n:
            self.mm[self.data:self.data + n - first] = data[first:]

    def copy_out(self, pos, n):
        index = pos & self.mask
        first = min(n, self.capacity - index)
        at = self.data + index
        if first == n:
            return self.mm[at:at + n]
        return self.mm[at:at + first] + self.mm[self.data:self.data + n - first]

    def await_(self, for_data, ready, peer_gone, dl):
        """Waits until ``ready()``, the peer is gone, or the deadline: spin, then sleep in slices.
        The peer's owner word is checked every round, its liveness (/proc) once per slice."""
        if ready():
            return _READY
        for _ in range(SPINS):
            if ready():
                return _READY
        waiting = self.ctl + (_P.READERS_WAITING if for_data else _P.WRITERS_WAITING)
        seq_word = self.ctl + (_P.DATA_SEQ if for_data else _P.SPACE_SEQ)
        liveness_at = time.monotonic_ns() + SLICE_NS
        fetch_add32(waiting, 1)
        try:
            while True:
                # The count is up (a full fence): from here a publisher wakes us or we see its data.
                seq = load32(seq_word)
                if ready():
                    return _READY
                now = time.monotonic_ns()
                check = now >= liveness_at
                if check:
                    liveness_at = now + SLICE_NS
                if peer_gone(check):
                    return _READY if ready() else _PEER_GONE
                left = SLICE_NS if dl is None else min(dl - now, SLICE_NS)
                if left <= 0:
                    return _TIMED_OUT
                futex_wait(seq_word, seq, left)
                self.seg.check_open()
        finally:
            if not self.seg.closed:
                fetch_add32(waiting, -1)


class Connection:
    """One end of a :class:`Pipe`, ``multiprocessing.connection.Connection``'s twin.

    Message boundaries are kept; messages of any length up to 2 GiB stream through the ring.
    ``send``/``recv`` go through the pipe's codec (default ``"bytes"``, as on the JVM);
    ``send_bytes``/``recv_bytes`` carry raw bytes. A receive waits for a message; a send waits
    while the ring is full. When the peer end is closed or its process died, a receive returns
    every complete message already sent and then raises :class:`EndOfPipeError` (an EOFError);
    a send raises :class:`BrokenPipeError_` (a BrokenPipeError) at once if the peer closed, or
    once the ring is full if it died. Threads of one process may share a connection: sends are
    serialized with each other, and so are receives.
    """

    def __init__(self, ns, name, end, duplex=True, capacity=_P.DEFAULT_CAPACITY, codec="bytes"):
        if end not in ("A", "B"):
            raise ValueError("pipe end must be 'A' or 'B', not %r" % (end,))
        if (not isinstance(capacity, int) or capacity < _P.MIN_CAPACITY or capacity > _P.MAX_CAPACITY
                or capacity & (capacity - 1)):
            raise ValueError("pipe '%s': capacity must be a power of two in %d..%d, got %r"
                             % (name, _P.MIN_CAPACITY, _P.MAX_CAPACITY, capacity))
        self._codec = _codec(codec)
        cid = self._codec.id.encode("ascii", "replace")
        if not 0 < len(cid) <= _P.CODEC_ID_LENGTH or not self._codec.id.isascii():
            raise ValueError("pipe '%s': codec id must be 1..%d ASCII characters: %r"
                             % (name, _P.CODEC_ID_LENGTH, self._codec.id))
        self.name = name
        self.end = end
        body = _P.DATA_OFFSET - _P.CODEC_OFFSET + capacity * (2 if duplex else 1)
        self._seg = seg = create_or_open(ns, name, Kind.PIPE, body, params=(capacity, 1 if duplex else 0),
                                         param_names=("capacity", "duplex"), mode=ns.mode,
                                         init=lambda s: s.write(_P.CODEC_OFFSET, cid))
        try:
            stored = seg.read(_P.CODEC_OFFSET, _P.CODEC_ID_LENGTH).split(b"\0", 1)[0].decode("ascii", "replace")
            if not self._codec.accepts(stored):
                raise SegmentMismatchError("pipe '%s' in %s carries codec '%s', not '%s'"
                                           % (name, ns.directory, stored, self._codec.id))
            ring0 = _Ring(seg, _P.RING0_CTL, _P.DATA_OFFSET, capacity)
            ring1 = _Ring(seg, _P.RING1_CTL, _P.DATA_OFFSET + capacity, capacity) if duplex else None
            self._in = ring0 if end == "A" else ring1
            self._out = ring1 if end == "A" else ring0
            self._my_slot = seg.base + (_P.SLOT_A if end == "A" else _P.SLOT_B)
            self._peer_slot = seg.base + (_P.SLOT_B if end == "A" else _P.SLOT_A)
            self._claim()
        except BaseException:
            seg.close()
            raise
        self._send_lock = threading.Lock()
        self._recv_lock = threading.Lock()
        self._tail_seen = 0
        self._closed = False

    def _claim(self):
        if not cas32(self._my_slot, 0, ME.pid):
            owner = load32(self._my_slot)
            if owner == _CLOSED:
                state = "was closed (an end opens once; unlink the pipe to reuse its name)"
            elif self._alive(owner, self._my_slot):
                state = "is already open in process %d" % owner
            else:
                state = "belonged to process %d, which died (unlink the pipe to reuse its name)" % owner
            raise PipeEndUnavailableError("end %s of pipe '%s' %s" % (self.end, self.name, state))
        store64(self._my_slot + _P.SLOT_START, ME.start)

    @property
    def readable(self):
        return self._in is not None

    @property
    def writable(self):
        return self._out is not None

    @property
    def closed(self):
        return self._closed

    # ---- sending ----

    def send(self, obj):
        """Encodes ``obj`` with the pipe's codec and sends it as one message."""
        self._send(self._codec.encode(obj))

    def send_bytes(self, buf, offset=0, size=None):
        """Sends ``buf[offset:offset + size]`` as one message."""
        view = memoryview(buf).cast("B")
        n = len(view)
        if offset < 0 or offset > n:
            raise ValueError("offset is negative or beyond the buffer")
        if size is None:
            size = n - offset
        if size < 0 or offset + size > n:
            raise ValueError("size is negative or beyond the buffer")
        self._send(view[offset:offset + size])

    def _send(self, payload):
        ring = self._writable()
        length = len(payload)
        if length > _P.MAX_MESSAGE:
            raise ValueError("pipe '%s': message of %d bytes exceeds the maximum of %d"
                             % (self.name, length, _P.MAX_MESSAGE))
        with self._send_lock:
            self._check_open()
            if self._peer_closed():
                raise self._broken("is closed")
            head = ring.head()
            # A stale tail only understates the free space: re-read it only when the frame seems not to fit.
            if ring.capacity - (head - self._tail_seen) < length + 8:
                self._tail_seen = ring.tail()
            if ring.capacity - (head - self._tail_seen) >= length + 8:
                # The whole frame fits: one copy, one publication (the common case).
                frame = _LEN.pack(length) + bytes(payload)
                ring.copy_in(head, frame)
                ring.publish_head(head + len(frame))
                return
            self._stream(ring, payload, head)

    def _stream(self, ring, payload, head):
        start = head
        tail = self._tail_seen
        frame_left = 8 + len(payload)
        published = False
        try:
            for part in (memoryview(_LEN.pack(len(payload))), memoryview(payload)):
                pos = 0
                while pos < len(part):
                    free = ring.capacity - (head - tail)
                    if free <= 0:
                        tail = ring.tail()
                        free = ring.capacity - (head - tail)
                    if free <= 0:
                        # Full: let the reader have what we wrote so far, then wait for space.
                        ring.publish_head(head)
                        published = head != start
                        tail = self._await_space(ring, head, min(frame_left, ring.capacity // 2))
                        continue
                    n = min(free, len(part) - pos)
                    ring.copy_in(head, part[pos:pos + n])
                    head += n
                    pos += n
                    frame_left -= n
            ring.publish_head(head)
        except BaseException as e:
            if published and not isinstance(e, ProcsyncError):
                # Interrupted mid-message: the stream cannot resume.
                self.close()
            raise
        finally:
            self._tail_seen = tail

    def _await_space(self, ring, head, wanted):
        store64(ring.ctl + _P.WRITER_WANTS, wanted)
        result = ring.await_(False, lambda: ring.capacity - (head - ring.tail()) >= wanted, self._peer_gone, None)
        if result == _PEER_GONE:
            raise self._broken("is closed" if self._peer_closed() else "died")
        return ring.tail()

    # ---- receiving ----

    def recv(self):
        """Receives the next message and decodes it with the pipe's codec."""
        return self._codec.decode(self.recv_bytes())

    def recv_bytes(self, maxlength=None):
        """Receives the next message's bytes; :class:`MessageTooLongError` (an OSError) if it is
        longer than ``maxlength``, leaving it in the pipe."""
        if maxlength is not None and maxlength < 0:
            raise ValueError("negative maxlength")
        ring = self._readable()
        with self._recv_lock:
            self._check_open()
            length = self._await_header(ring)
            if maxlength is not None and length > maxlength:
                raise MessageTooLongError("pipe '%s': next message is %d bytes, longer than maxlength %d; it "
                                          "stays in the pipe" % (self.name, length, maxlength))
            return self._read_payload(ring, length)

    def recv_bytes_into(self, buf, offset=0):
        """Receives the next message into ``buf`` at ``offset``; returns its length. A message
        too long for the buffer raises ``multiprocessing.BufferTooShort`` carrying it."""
        view = memoryview(buf).cast("B")
        if offset < 0 or offset > len(view):
            raise ValueError("offset is negative or beyond the buffer")
        ring = self._readable()
        with self._recv_lock:
            self._check_open()
            length = self._await_header(ring)
            data = self._read_payload(ring, length)
        if length > len(view) - offset:
            from multiprocessing import BufferTooShort
            raise BufferTooShort(data)
        view[offset:offset + length] = data
        return length

    def poll(self, timeout=0.0):
        """Whether a receive would not block: a message has started to arrive, or the peer is
        gone. Waits at most ``timeout`` seconds (``None``: as long as it takes)."""
        ring = self._readable()
        self._check_open()
        tail = ring.tail()
        if ring.head() - tail >= 8 or self._peer_gone(True):
            return True
        if timeout is not None and timeout <= 0:
            return False
        return ring.await_(True, lambda: ring.head() - tail >= 8, self._peer_gone,
                           deadline(True, timeout)) != _TIMED_OUT

    def _await_header(self, ring):
        tail = ring.tail()
        result = ring.await_(True, lambda: ring.head() - tail >= 8, self._peer_gone, None)
        available = ring.head() - tail
        if result == _PEER_GONE:
            if available == 0:
                raise EndOfPipeError("end %s of pipe '%s' %s and every message has been received"
                                     % (self._peer_end(), self.name, self._peer_state()))
            ring.publish_tail(tail + available, tail + available)
            raise EndOfPipeError("end %s of pipe '%s' %s in the middle of a message header (%d of 8 bytes); the "
                                 "bytes are discarded" % (self._peer_end(), self.name, self._peer_state(), available))
        length = _LEN.unpack(ring.copy_out(tail, 8))[0]
        if length > _P.MAX_MESSAGE:
            raise ProcsyncError("pipe '%s' is corrupt: frame length %d at stream offset %d" % (self.name, length, tail))
        return length

    def _read_payload(self, ring, length):
        tail = ring.tail() + 8
        end = tail + length
        head = ring.head()
        if head >= end:
            # The whole message is there (the common case): one copy, one publication.
            data = ring.copy_out(tail, length)
            ring.publish_tail(end, head)
            return data
        parts = []
        published = False
        try:
            while tail < end:
                if head == tail:
                    # Drained: free the ring for the writer (it may be streaming), then wait.
                    ring.publish_tail(tail, head)
                    published = True
                    at = tail
                    if ring.await_(True, lambda: ring.head() != at, self._peer_gone, None) == _PEER_GONE:
                        raise EndOfPipeError("end %s of pipe '%s' %s in the middle of a message: got %d of %d "
                                             "bytes, which are discarded" % (self._peer_end(), self.name,
                                                                            self._peer_state(),
                                                                            length - (end - tail), length))
                    head = ring.head()
                    continue
                n = min(head - tail, end - tail)
                parts.append(ring.copy_out(tail, n))
                tail += n
            ring.publish_tail(tail, head)
            return b"".join(parts)
        except BaseException as e:
            if published and not isinstance(e, ProcsyncError):
                self.close()     # interrupted mid-message: the stream cannot resume
            raise

    # ---- peers, state ----

    def _alive(self, pid, slot):
        if pid == ME.pid:
            return True
        start = load64(slot + _P.SLOT_START)
        # 0: the opener is between its claiming CAS and its start-time store.
        return start == 0 or start_time_of(pid) == start

    def _peer_closed(self):
        return load32(self._peer_slot) == _CLOSED

    def _peer_gone(self, check_liveness=True):
        owner = load32(self._peer_slot)
        return owner == _CLOSED or (check_liveness and owner != 0 and not self._alive(owner, self._peer_slot))

    def _peer_state(self):
        return "was closed" if self._peer_closed() else "died"

    def _peer_end(self):
        return "B" if self.end == "A" else "A"

    def _broken(self, state):
        return BrokenPipeError_("cannot send on end %s of pipe '%s': end %s %s"
                                % (self.end, self.name, self._peer_end(), state))

    def _check_open(self):
        if self._closed:
            raise ClosedError("end %s of pipe '%s' is closed" % (self.end, self.name))
        self._seg.check_open()

    def _readable(self):
        if self._in is None:
            self._check_open()
            raise OSError("connection is write-only (end %s of one-way pipe '%s')" % (self.end, self.name))
        return self._in

    def _writable(self):
        if self._out is None:
            self._check_open()
            raise OSError("connection is read-only (end %s of one-way pipe '%s')" % (self.end, self.name))
        return self._out

    def close(self):
        """Closes this end for good: the peer sees end of stream after draining (or a broken pipe),
        every waiter on the pipe is woken, the mapping goes. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if not self._seg.closed:
            store32(self._my_slot, _CLOSED)
            for ring in (self._in, self._out):
                if ring is not None:
                    ring.wake_all()
        self._seg.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return "<procsync.Connection %r end %s%s%s>" % (
            self.name, self.end, "" if self.writable else " read-only", "" if self.readable else " write-only") \
            + (" closed" if self._closed else "")


def Pipe(ns, name, duplex=True, end=None, capacity=_P.DEFAULT_CAPACITY, codec="bytes"):
    """The named pipe's ends: both, ``(A, B)``, in this process (``multiprocessing.Pipe``'s
    ``(conn1, conn2)``; one-way: A reads, B writes), or only ``end`` ("A" or "B") for one end per
    process. Every opener must give the same direction, capacity and codec."""
    if end is not None:
        return Connection(ns, name, end, duplex, capacity, codec)
    a = Connection(ns, name, "A", duplex, capacity, codec)
    try:
        return a, Connection(ns, name, "B", duplex, capacity, codec)
    except BaseException:
        a.close()
        raise
