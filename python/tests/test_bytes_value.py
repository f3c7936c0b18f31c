import ctypes
import unittest

from procsync import SegmentMismatchError
from procsync._layout import Data

from .support import NamespaceTestCase, ns_in


def _write_many(root, n):
    v = ns_in(root).Value("b", "64s")
    for i in range(n):
        v.value = (b"%d:" % (i % 1000)) * (1 + i % 15)


def _exit_now():
    pass


class BytesValueBehaviour(NamespaceTestCase):
    def test_should_share_bytes_and_text(self):
        v = self.ns.Value("b", ctypes.c_char * 16, b"first")
        other = ns_in(self.root).Value("b", "16s", b"not mine")
        self.assertEqual(b"first", other.value)
        other.value = "héllo"
        self.assertEqual("héllo".encode(), v.value)
        self.assertEqual(6, len(v))
        v.value = b""
        self.assertEqual(b"", other.raw)
        with self.assertRaises(ValueError):
            v.value = b"x" * 17
        with self.assertRaises(SegmentMismatchError):
            self.ns.Value("b", "32s")
        with v:
            self.assertEqual("b~lock", v.get_lock().name)

    def test_should_never_return_a_torn_value(self):
        v = self.ns.Value("b", "64s")
        p = self.start(_write_many, self.root, 20000)
        seen = 0
        while p.is_alive() or seen == 0:
            value = v.value
            if value:
                parts = value.split(b":")[:-1]
                self.assertEqual(1, len(set(parts)), value)
                self.assertEqual(b"", value.split(b":")[-1])
                seen += 1
        self.join_ok(p)

    def test_should_finish_the_sequence_of_a_dead_writer(self):
        v = self.ns.Value("b", "8s", b"before")
        p = self.start(_exit_now)
        self.join_ok(p)
        seq = v._seg.u64(Data.SEQ_OFFSET)
        v._seg.set_u64(Data.SEQ_OFFSET, seq | p.pid)      # as if that process died mid-write
        self.assertEqual(b"before", v.value)
        v.value = b"after"
        self.assertEqual(b"after", v.value)
        self.assertEqual(0, v._seg.u64(Data.SEQ_OFFSET) & 0xFFFFFFFF)


if __name__ == "__main__":
    unittest.main()
