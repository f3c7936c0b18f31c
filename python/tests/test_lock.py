import os
import signal
import time
import unittest

from procsync import ClosedError, SegmentMismatchError

from .support import NamespaceTestCase, ns_in


def _count(root, n):
    ns = ns_in(root)
    lock = ns.Lock("l")
    arr = ns.Array("counter", "q", 1, lock=False)
    for _ in range(n):
        with lock:
            arr[0] = arr[0] + 1     # a read-modify-write that only the lock makes exact


def _die_holding(root):
    lock = ns_in(root).Lock("l")
    lock.acquire()
    ns_in(root).Event("held").set()
    os.kill(os.getpid(), signal.SIGKILL)



class LockBehaviour(NamespaceTestCase):
    def test_should_acquire_release_and_refuse_a_second_acquire(self):
        lock = self.ns.Lock("l")
        self.assertTrue(lock.acquire())
        self.assertTrue(lock.locked())
        self.assertEqual(os.getpid(), lock.owner_pid())
        self.assertFalse(lock.acquire(False))
        self.assertFalse(lock.acquire(timeout=0.05))
        lock.release()
        self.assertFalse(lock.locked())
        with lock:
            self.assertTrue(lock.locked())
        self.assertFalse(lock.locked())

    def test_should_raise_value_error_on_over_release(self):
        lock = self.ns.Lock("l")
        with self.assertRaisesRegex(ValueError, "released too many times"):
            lock.release()

    def test_should_share_state_between_handles(self):
        a, b = self.ns.Lock("l"), self.ns.Lock("l")
        a.acquire()
        self.assertFalse(b.acquire(timeout=0))
        b.release()                                 # any process (and handle) may release
        self.assertTrue(a.acquire(False))
        a.release()

    def test_should_refuse_another_kind(self):
        self.ns.Event("e")
        with self.assertRaisesRegex(SegmentMismatchError, "is a EVENT, not a LOCK"):
            self.ns.Lock("e")

    def test_should_refuse_use_after_close(self):
        lock = self.ns.Lock("l")
        lock.close()
        with self.assertRaises(ClosedError):
            lock.acquire()
        with self.assertRaises(ClosedError):
            lock.release()

    def test_should_reject_bad_names(self):
        for bad in ("", "../x", "a/b", ".hidden", "x" * 129, "nul\0"):
            with self.assertRaises(ValueError):
                self.ns.Lock(bad)

    def test_should_count_exactly_under_contention_across_processes(self):
        self.ns.Lock("l")
        self.ns.Array("counter", "q", 1, lock=False)
        procs = [self.start(_count, self.root, 2000) for _ in range(3)]
        self.join_ok(*procs)
        self.assertEqual(6000, self.ns.Array("counter", "q", 1, lock=False)[0])

    def test_should_take_over_from_a_holder_killed_inside(self):
        lock = self.ns.Lock("l")
        p = self.start(_die_holding, self.root)
        self.assertTrue(self.ns.Event("held").wait(30))
        p.join(30)
        self.assertEqual(-signal.SIGKILL, p.exitcode)
        t0 = time.monotonic()
        self.assertTrue(lock.acquire(timeout=10))
        self.assertLess(time.monotonic() - t0, 10)
        self.assertTrue(lock.previous_owner_died())
        lock.release()
        self.assertFalse(lock.previous_owner_died())
        self.assertTrue(lock.acquire(False))
        self.assertFalse(lock.previous_owner_died())
        lock.release()


if __name__ == "__main__":
    unittest.main()
