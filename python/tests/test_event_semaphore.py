import threading
import time
import unittest

from procsync import SegmentMismatchError

from .support import NamespaceTestCase, ns_in


def _set_after_ready(root):
    ns = ns_in(root)
    ns.Event("waiting").wait(30)
    ns.Event("e").set()


def _release_later(root, n):
    ns = ns_in(root)
    ns.Event("waiting").wait(30)
    ns.Semaphore("s", 0).release(n)


class EventBehaviour(NamespaceTestCase):
    def test_should_set_clear_and_report_the_flag(self):
        e = self.ns.Event("e")
        self.assertFalse(e.is_set())
        self.assertFalse(e.wait(0.02))
        self.assertFalse(e.wait(0))
        e.set()
        e.set()
        self.assertTrue(e.is_set())
        self.assertTrue(e.wait())
        self.assertTrue(e.wait(0))
        e.clear()
        self.assertFalse(e.is_set())

    def test_should_wake_a_waiter_in_another_process(self):
        e = self.ns.Event("e")
        p = self.start(_set_after_ready, self.root)
        self.ns.Event("waiting").set()
        self.assertTrue(e.wait(30))
        self.join_ok(p)

    def test_should_report_a_set_that_a_clear_followed(self):
        e = self.ns.Event("e")
        seen = []
        t = threading.Thread(target=lambda: seen.append(e.wait(30)))
        t.start()
        time.sleep(0.05)     # not synchronization: only makes it likely the waiter sleeps
        e.set()
        e.clear()
        t.join(30)
        self.assertEqual([True], seen)


class SemaphoreBehaviour(NamespaceTestCase):
    def test_should_count_permits(self):
        s = self.ns.Semaphore("s", 2)
        self.assertTrue(s.acquire())
        self.assertTrue(s.acquire(False))
        self.assertFalse(s.acquire(False))
        self.assertFalse(s.acquire(timeout=0.02))
        s.release(2)
        self.assertEqual(2, s.get_value())
        with s:
            self.assertEqual(1, s.get_value())

    def test_should_refuse_another_initial_value(self):
        self.ns.Semaphore("s", 2)
        with self.assertRaisesRegex(SegmentMismatchError, "permits=2, not permits=3"):
            self.ns.Semaphore("s", 3)

    def test_bounded_should_refuse_over_release(self):
        b = self.ns.BoundedSemaphore("b", 1)
        with self.assertRaisesRegex(ValueError, "released too many times"):
            b.release()
        b.acquire()
        b.release()

    def test_should_wake_waiters_in_another_process(self):
        s = self.ns.Semaphore("s", 0)
        p = self.start(_release_later, self.root, 2)
        self.ns.Event("waiting").set()
        self.assertTrue(s.acquire(timeout=30))
        self.assertTrue(s.acquire(timeout=30))
        self.join_ok(p)
        self.assertEqual(0, s.get_value())


class RLockBehaviour(NamespaceTestCase):
    def test_should_reenter_and_release_fully(self):
        r = self.ns.RLock("r")
        with r:
            with r:
                self.assertTrue(r.acquire(False))
                r.release()
        other = []
        t = threading.Thread(target=lambda: other.append(self.ns.RLock("r").acquire(False)))
        t.start()
        t.join()
        self.assertEqual([True], other)   # the thread's hold is not ours

    def test_should_refuse_release_by_a_non_owner(self):
        r = self.ns.RLock("r")
        with self.assertRaises(AssertionError):
            r.release()


class ValueArrayBehaviour(NamespaceTestCase):
    def test_should_keep_values_and_types(self):
        v = self.ns.Value("v", "d", 1.5)
        self.assertEqual(1.5, v.value)
        v.value = -2.25
        self.assertEqual(-2.25, self.ns.Value("v", "d").value)
        i = self.ns.Value("i", "i", -7)
        self.assertEqual(-7, i.value)
        with i.get_lock():
            i.value += 1
        self.assertEqual(-6, i.value)
        with self.assertRaises(SegmentMismatchError):
            self.ns.Value("v", "q")

    def test_should_index_and_slice_arrays(self):
        a = self.ns.Array("a", "q", [1, 2, 3])
        self.assertEqual(3, len(a))
        self.assertEqual([1, 2, 3], a[:])
        a[1] = -5
        a[0:2] = [10, 11]
        self.assertEqual([10, 11, 3], list(self.ns.Array("a", "q", 3)))

    def test_should_name_what_has_no_shared_kind(self):
        with self.assertRaisesRegex(NotImplementedError, "byte string"):
            self.ns.Value("v", "b")
        with self.assertRaisesRegex(NotImplementedError, "typecode"):
            self.ns.Value("v", "f")


if __name__ == "__main__":
    unittest.main()
