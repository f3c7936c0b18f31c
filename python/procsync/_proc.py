"""Process identity: pid plus start time (field 22 of /proc/<pid>/stat), as the JVM side uses.

``ME`` is this process; it is refreshed in a forked child, whose locks must not carry the
parent's pid.
"""

import os
import time

from . import _atomic
from ._layout import OWNER_GRACE_NS


def start_time_of(pid):
    """Start time of a live, non-zombie process in clock ticks since boot, or -1."""
    if pid <= 0:
        return -1
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            stat = f.read()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return -1
    except OSError:
        return -1
    close = stat.rfind(b")")
    if close < 0:
        return -1
    fields = stat[close + 2:].split()
    # fields[0] is field 3 (state); field 22 (starttime) is fields[19].
    if len(fields) < 20 or fields[0] in (b"Z", b"X"):
        return -1
    return int(fields[19])


class _Me:
    __slots__ = ("pid", "start")

    def __init__(self):
        self.refresh()

    def refresh(self):
        pid = os.getpid()
        start = start_time_of(pid)
        if start < 0:
            raise RuntimeError("cannot read /proc/%d/stat: procsync needs procfs" % pid)
        self.pid = pid
        self.start = start
        _atomic.set_identity(pid, start)


ME = _Me()
os.register_at_fork(after_in_child=ME.refresh)


def is_alive(pid, start):
    """Whether the process (pid, start) still runs."""
    return start_time_of(pid) == start


class OwnerWatch:
    """Decides whether the owner of a pid-owned word is dead (dev.procsync.process.OwnerWatch).

    No live process has the pid: dead at once. A live process with the stored start time: alive.
    A live one with another start time (a reused pid, or an owner between its CAS and its
    start-time store): dead only once the same word showed the mismatch for the whole grace.
    One instance per waiter.
    """

    __slots__ = ("_suspect_word", "_since")

    def __init__(self):
        self._suspect_word = None
        self._since = 0

    def is_owner_dead(self, word, pid, stored_start):
        if pid == 0 or pid == ME.pid:
            return False
        actual = start_time_of(pid)
        if actual < 0:
            return True
        if actual == stored_start:
            self._suspect_word = None
            return False
        now = time.monotonic_ns()
        if self._suspect_word != word:
            self._suspect_word = word
            self._since = now
            return False
        return now - self._since >= OWNER_GRACE_NS
