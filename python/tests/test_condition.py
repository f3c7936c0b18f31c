import os
import signal
import time
import unittest

from procsync import SegmentMismatchError
from procsync._layout import RLock as RLockLayout

from .support import NamespaceTestCase, ns_in


def _wait_notified(root, ready_name, result_name, timeout):
    ns = ns_in(root)
    c = ns.Condition("c")
    result = ns.Value(result_name, "i", lock=False)
    with c:
        ns.Event(ready_name).set()
        result.value = 1 if c.wait(timeout) else 2
        # Holding the lock again: nobody else may be inside now.
        result.value += 10 * (c._lock.owner_pid() == os.getpid())


def _wait_for_turn(root, rounds):
    ns = ns_in(root)
    c = ns.Condition("c")
    turn = ns.Value("turn", "i", lock=False)
    with c:
        for k in range(rounds):
            assert c.wait_for(lambda: turn.value == 2 * k + 1, 60), "no turn %d" % (2 * k + 1)
            turn.value = 2 * k + 2
            c.notify()


def _wait_forever(root):
    ns = ns_in(root)
    c = ns.Condition("c")
    with c:
        ns.Event("dead-ready").set()
        c.wait()


class ConditionBehaviour(NamespaceTestCase):
    def wait_until(self, predicate, what):
        deadline = time.monotonic() + 60
        while not predicate():
            if time.monotonic() > deadline:
                self.fail("gave up waiting for " + what)
            time.sleep(0.005)

    def test_should_wake_a_waiter_in_another_process_and_release_the_lock_while_it_waits(self):
        c = self.ns.Condition("c")
        result = self.ns.Value("r", "i", lock=False)
        p = self.start(_wait_notified, self.root, "ready", "r", 60)
        self.assertTrue(self.ns.Event("ready").wait(60))
        # The waiter holds the lock until it waits; acquiring it proves wait released it.
        self.assertTrue(c.acquire(timeout=60))
        try:
            self.wait_until(lambda: c.waiter_count() == 1, "the waiter's slot")
            self.assertEqual(1, c.notify())
        finally:
            c.release()
        self.join_ok(p)
        self.assertEqual(11, result.value, "notified, and holding the lock again when wait returned")

    def test_should_time_out_without_a_notification(self):
        c = self.ns.Condition("c")
        with c:
            start = time.monotonic()
            self.assertFalse(c.wait(0.05))
            self.assertGreaterEqual(time.monotonic() - start, 0.04)
            self.assertFalse(c.wait(0))
            self.assertEqual(0, c.waiter_count())
            self.assertEqual(0, c.notify())

    def test_should_notify_n_oldest_then_all(self):
        c = self.ns.Condition("c")
        procs = [self.start(_wait_notified, self.root, "ready%d" % i, "r%d" % i, 60) for i in range(3)]
        for i in range(3):
            self.assertTrue(self.ns.Event("ready%d" % i).wait(60))
        self.wait_until(lambda: c.waiter_count() == 3, "three waiters")
        with c:
            self.assertEqual(2, c.notify(2))
        self.wait_until(lambda: c.waiter_count() == 1, "two woken")
        with c:
            self.assertEqual(1, c.notify_all())
        self.join_ok(*procs)
        self.assertEqual([11, 11, 11], [self.ns.Value("r%d" % i, "i", lock=False).value for i in range(3)])

    def test_should_ping_pong_with_wait_for(self):
        c = self.ns.Condition("c")
        turn = self.ns.Value("turn", "i", lock=False)
        rounds = 50
        p = self.start(_wait_for_turn, self.root, rounds)
        with c:
            for k in range(rounds):
                turn.value = 2 * k + 1
                c.notify()
                self.assertTrue(c.wait_for(lambda: turn.value == 2 * k + 2, 60))
        self.join_ok(p)

    def test_should_skip_a_dead_waiter(self):
        c = self.ns.Condition("c")
        dead = self.start(_wait_forever, self.root)
        self.assertTrue(self.ns.Event("dead-ready").wait(60))
        self.wait_until(lambda: c.waiter_count() == 1, "the doomed waiter")
        os.kill(dead.pid, signal.SIGKILL)
        dead.join(60)
        live = self.start(_wait_notified, self.root, "ready", "r", 60)
        self.assertTrue(self.ns.Event("ready").wait(60))
        self.wait_until(lambda: c.waiter_count() == 2, "the live waiter")
        with c:
            self.assertEqual(1, c.notify(1), "the dead waiter absorbs nothing")
        self.join_ok(live)
        self.assertEqual(11, self.ns.Value("r", "i", lock=False).value)
        self.assertEqual(0, c.waiter_count())

    def test_should_refuse_callers_not_holding_the_lock(self):
        c = self.ns.Condition("c")
        with self.assertRaises(AssertionError):
            c.wait(0.01)
        with self.assertRaises(AssertionError):
            c.notify()
        lock = self.ns.Lock("l")
        over_lock = self.ns.Condition("over-lock", lock)
        with self.assertRaises(AssertionError):
            over_lock.notify_all()
        with over_lock:
            self.assertFalse(over_lock.wait(0.01))
            self.assertTrue(over_lock.wait_for(lambda: True, 0))

    def test_should_keep_rlock_holds_across_a_wait(self):
        c = self.ns.Condition("c")
        with c:
            with c:
                self.assertFalse(c.wait(0.01))
                self.assertEqual(2, c._lock._seg.u32(RLockLayout.COUNT_OFFSET), "both holds restored")
        self.assertEqual(0, c._lock.owner_pid())

    def test_should_refuse_another_pairing(self):
        self.ns.Condition("c")
        with self.assertRaises(SegmentMismatchError):
            self.ns.Condition("c", self.ns.Lock("l"))
        self.ns.Condition("d", self.ns.RLock("x"))
        with self.assertRaises(SegmentMismatchError):
            self.ns.Condition("d", self.ns.RLock("y"))


if __name__ == "__main__":
    unittest.main()
