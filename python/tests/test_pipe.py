import os
import signal
import threading
import unittest

from procsync import SegmentMismatchError
from procsync.connection import EndOfPipeError, MessageTooLongError, PipeEndUnavailableError

from .support import NamespaceTestCase, ns_in

BIG = bytes(range(256)) * 3000          # 768000 bytes: streamed through a 64 KiB ring


def _echo(root, n):
    b = ns_in(root).Pipe("p", end="B", capacity=65536)
    for _ in range(n):
        b.send_bytes(b.recv_bytes())
    b.close()


def _send_then_die(root, n):
    b = ns_in(root).Pipe("p", end="B", codec="json")
    for i in range(n):
        b.send({"i": i})
    ns_in(root).Event("sent").set()
    os.kill(os.getpid(), signal.SIGKILL)


def _read_one(root):
    a = ns_in(root).Pipe("p", end="A", codec="json", capacity=4096)
    a.recv()
    os.kill(os.getpid(), signal.SIGKILL)


class PipeBehaviour(NamespaceTestCase):
    def test_should_echo_small_and_streamed_messages_in_order_across_processes(self):
        a = self.ns.Pipe("p", end="A", capacity=65536)
        messages = [b"", b"x", BIG, b"y" * 65528, b"z" * 65537] + [b"%d" % i for i in range(500)]
        p = self.start(_echo, self.root, len(messages))
        sender = threading.Thread(target=lambda: [a.send_bytes(m) for m in messages])
        sender.start()
        for m in messages:
            self.assertEqual(m, a.recv_bytes())
        sender.join()
        self.join_ok(p)
        with self.assertRaises(EOFError):
            a.recv_bytes()
        with self.assertRaises(BrokenPipeError):
            a.send_bytes(b"after")

    def test_should_deliver_what_a_dead_peer_sent_then_end_of_stream(self):
        a = self.ns.Pipe("p", end="A", codec="json")
        p = self.start(_send_then_die, self.root, 100)
        p.join(60)
        self.assertEqual(-signal.SIGKILL, p.exitcode)
        self.assertEqual([{"i": i} for i in range(100)], [a.recv() for _ in range(100)])
        self.assertTrue(a.poll(), "end of stream: a receive would not block")
        with self.assertRaises(EndOfPipeError) as e:
            a.recv()
        self.assertIn("died", str(e.exception))

    def test_should_break_the_pipe_once_the_reader_died_and_the_ring_is_full(self):
        b = self.ns.Pipe("p", end="B", codec="json", capacity=4096)
        p = self.start(_read_one, self.root)
        b.send("first")
        p.join(60)
        with self.assertRaises(BrokenPipeError):
            for i in range(10000):
                b.send({"filler": "x" * 100, "i": i})

    def test_should_poll_and_keep_a_message_too_long(self):
        a, b = self.ns.Pipe("p")
        self.assertFalse(a.poll())
        self.assertFalse(a.poll(0.02))
        b.send_bytes(b"0123456789", 2, 5)
        self.assertTrue(a.poll(None))
        with self.assertRaises(MessageTooLongError):
            a.recv_bytes(4)
        buf = bytearray(8)
        self.assertEqual(5, a.recv_bytes_into(buf, 1))
        self.assertEqual(b"\x0023456\x00\x00", bytes(buf))
        a.close()
        self.assertTrue(b.poll(0.02), "the peer closed: end of stream is ready")
        with self.assertRaises(EOFError):
            b.recv_bytes()

    def test_should_open_each_end_once_and_check_direction_and_codec(self):
        r, w = self.ns.Pipe("one", duplex=False, codec="utf8")
        w.send("é")
        self.assertEqual("é", r.recv())
        with self.assertRaises(OSError):
            r.send("x")
        with self.assertRaises(OSError):
            w.recv()
        with self.assertRaises(PipeEndUnavailableError):
            self.ns.Pipe("one", duplex=False, end="A", codec="utf8")
        with self.assertRaises(SegmentMismatchError):
            self.ns.Pipe("one", duplex=False, end="A", codec="json")
        with self.assertRaises(SegmentMismatchError):
            self.ns.Pipe("one", duplex=True, end="A", codec="utf8")
        r.close()
        with self.assertRaises(PipeEndUnavailableError):
            self.ns.Pipe("one", duplex=False, end="A", codec="utf8")
        with self.assertRaises(ValueError):
            self.ns.Pipe("bad", capacity=1000)


if __name__ == "__main__":
    unittest.main()
