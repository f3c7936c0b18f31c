import multiprocessing
import queue
import unittest

import procsync
from procsync._layout import Queue as QueueLayout

from procsync import SegmentMismatchError
from procsync.queues import QueueShutDown, capacity

from .support import NamespaceTestCase, ns_in


def _produce(root, producer, n):
    q = ns_in(root).Queue("q")
    for i in range(n):
        q.put({"p": producer, "i": i, "pad": "x" * (i % 700)})


def _produce_range(root, producer, first, n):
    q = ns_in(root).Queue("q", codec="json")
    for i in range(first, first + n):
        q.put([producer, i])
    q.close()


def _consume(root, n, out_name):
    ns = ns_in(root)
    q = ns.Queue("q")
    last = {}
    for _ in range(n):
        m = q.get(timeout=60)
        assert last.get(m["p"], -1) + 1 == m["i"], (m["p"], m["i"], last.get(m["p"]))
        last[m["p"]] = m["i"]
    ns.Event(out_name).set()


class QueueBehaviour(NamespaceTestCase):
    def test_should_choose_the_jvm_capacities(self):
        self.assertEqual((1 << 20, 1 << 16), capacity())
        self.assertEqual((4096, 256), capacity(0, 4096))
        self.assertEqual((65536, 10), capacity(10))
        self.assertEqual((1 << 20, 1000), capacity(1000))

    def test_should_put_and_get_in_order_with_every_codec(self):
        for codec, values in (("json", [{"a": [1, 2]}, "s", 3.5]), ("utf8", ["é", ""]), ("bytes", [b"\0\1", b""]),
                              ("int32", [-1, 7]), ("int64", [1 << 40]), ("float64", [0.25])):
            q = self.ns.Queue("q-" + codec, codec=codec)
            for v in values:
                q.put(v)
            self.assertEqual(len(values), q.qsize())
            self.assertEqual(values, [q.get() for _ in values])
            self.assertTrue(q.empty())

    def test_should_raise_empty_and_full(self):
        q = self.ns.Queue("q", maxsize=2)
        with self.assertRaises(queue.Empty):
            q.get(timeout=0.02)
        with self.assertRaises(queue.Empty):
            q.get_nowait()
        q.put(1)
        q.put(2)
        self.assertTrue(q.full())
        with self.assertRaises(queue.Full):
            q.put(3, timeout=0.02)
        with self.assertRaises(queue.Full):
            q.put_nowait(3)
        self.assertEqual(1, q.get())

    def test_should_wrap_large_and_small_messages_around_the_ring(self):
        q = self.ns.Queue("q", capacity_bytes=4096)
        for i in range(300):
            msg = bytes([i % 256]) * (i * 7 % 1500)
            q.put({"n": i, "b": msg.hex()})
            self.assertEqual({"n": i, "b": msg.hex()}, q.get())

    def test_should_refuse_another_codec_or_capacity(self):
        self.ns.Queue("q", codec="utf8")
        with self.assertRaisesRegex(SegmentMismatchError, "codec 'utf8', not 'json'"):
            self.ns.Queue("q")
        with self.assertRaises(SegmentMismatchError):
            self.ns.Queue("q", codec="utf8", maxsize=5)
        self.ns.Queue("j", codec="json:order")
        self.ns.Queue("j", codec="json")
        with self.assertRaises(SegmentMismatchError):
            self.ns.Queue("j", codec="json:invoice")

    def test_should_refuse_messages_larger_than_the_ring(self):
        q = self.ns.Queue("q", codec="bytes", capacity_bytes=64)
        q.put(b"x" * 48)
        with self.assertRaises(ValueError):
            q.put(b"x" * 49)

    def test_should_shut_down_for_every_handle(self):
        q = self.ns.Queue("q")
        q.put(1)
        self.ns.Queue("q").shutdown()
        with self.assertRaises(QueueShutDown):
            q.put(2)
        self.assertEqual(1, q.get())
        with self.assertRaises(QueueShutDown):
            q.get(timeout=1)

    def test_joinable_should_count_tasks(self):
        q = self.ns.JoinableQueue("q")
        q.put("a")
        self.assertFalse(q.join(timeout=0.02))
        q.get()
        q.task_done()
        self.assertTrue(q.join(timeout=1))
        with self.assertRaises(ValueError):
            q.task_done()

    def test_should_keep_fifo_per_producer_across_processes(self):
        self.ns.Queue("q")
        n = 3000
        producers = [self.start(_produce, self.root, p, n) for p in range(2)]
        consumer = self.start(_consume, self.root, 2 * n, "done")
        self.join_ok(*producers, consumer)
        self.assertTrue(self.ns.Event("done").is_set())
        self.assertTrue(self.ns.Queue("q").empty())

    def test_should_hand_a_biased_claim_lock_over_to_another_producer_and_give_it_up_on_close(self):
        q = self.ns.Queue("q", codec="json")
        for i in range(200):
            q.put(["parent", i])
        biased = q._bias_word != 0
        self.assertEqual(biased, not procsync.accelerated, "a lone ctypes producer biases its claims")
        other = self.start(_produce_range, self.root, "child", 0, 300)   # revokes the bias to claim
        self.join_ok(other)
        for i in range(200, 400):
            q.put(["parent", i])                                        # backs out, takes the lock
        seen = {"parent": 0, "child": 0}
        for _ in range(700):
            producer, i = q.get(timeout=10)
            self.assertEqual(seen[producer], i, producer)
            seen[producer] += 1
        self.assertEqual({"parent": 400, "child": 300}, seen)
        q.close()
        probe = self.ns.Queue("q", codec="json")
        self.assertEqual(0, probe._seg.u32(QueueLayout.LOCK), "closing gave the claim lock up")
        self.assertEqual(0, probe._seg.u32(QueueLayout.PRODUCERS))

    def test_should_not_let_a_forked_child_claim_under_its_parents_bias(self):
        q = self.ns.Queue("q", codec="json")
        for i in range(200):
            q.put(["parent", i])

        def child_puts():
            for i in range(100):
                q.put(["child", i])             # the inherited handle: must revoke, not share, the bias

        bias = q._bias_word
        child = multiprocessing.get_context("fork").Process(target=child_puts)
        child.start()
        self.join_ok(child)
        if bias:
            self.assertNotEqual(bias, q._seg.u64(QueueLayout.BIAS), "the child revoked the bias")
        for i in range(200, 300):
            q.put(["parent", i])
        seen = {"parent": 0, "child": 0}
        for _ in range(400):
            producer, i = q.get(timeout=10)
            self.assertEqual(seen[producer], i, producer)
            seen[producer] += 1
        self.assertEqual({"parent": 300, "child": 100}, seen)


if __name__ == "__main__":
    unittest.main()
