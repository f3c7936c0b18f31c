import os
import signal
import threading
import time
import unittest

from .support import NamespaceTestCase, ns_in


def _party(root, rounds):
    b = ns_in(root).Barrier("b", 3)
    for _ in range(rounds):
        b.wait(60)


def _arrive_and_die(root):
    b = ns_in(root).Barrier("b", 3)
    threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGKILL)).start()
    b.wait(60)


class BarrierBehaviour(NamespaceTestCase):
    def test_should_trip_every_round_with_distinct_indexes(self):
        b = self.ns.Barrier("b", 3)
        procs = [self.start(_party, self.root, 5) for _ in range(2)]
        indexes = [b.wait(60) for _ in range(5)]
        self.join_ok(*procs)
        self.assertTrue(all(0 <= i < 3 for i in indexes))
        self.assertEqual(0, b.n_waiting)

    def test_should_break_on_timeout_and_reset(self):
        b = self.ns.Barrier("b", 2)
        with self.assertRaises(threading.BrokenBarrierError):
            b.wait(0.05)
        self.assertTrue(b.broken)
        with self.assertRaises(threading.BrokenBarrierError):
            b.wait(1)
        b.reset()
        self.assertFalse(b.broken)

    def test_should_break_when_a_party_dies(self):
        b = self.ns.Barrier("b", 3)
        p = self.start(_arrive_and_die, self.root)
        t0 = time.monotonic()
        with self.assertRaises(threading.BrokenBarrierError):
            b.wait(60)
        self.assertLess(time.monotonic() - t0, 45, "broken by the death, not by the timeout")
        p.join(30)


class SharedMemoryBehaviour(NamespaceTestCase):
    def test_should_create_attach_and_unlink(self):
        a = self.ns.SharedMemory("m", create=True, size=10)
        a.buf[:3] = b"abc"
        b = self.ns.SharedMemory("m")
        self.assertEqual(10, b.size)
        self.assertEqual(b"abc", bytes(b.buf[:3]))
        with self.assertRaises(FileExistsError):
            self.ns.SharedMemory("m", create=True, size=10)
        b.close()
        a.unlink()
        a.unlink()
        a.close()
        with self.assertRaises(FileNotFoundError):
            self.ns.SharedMemory("m")


if __name__ == "__main__":
    unittest.main()
