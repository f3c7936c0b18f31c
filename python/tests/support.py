"""Test helpers: a private namespace root per test, and real child processes."""

import multiprocessing
import os
import shutil
import tempfile
import unittest

import procsync

# Children are real processes started fresh (spawn): nothing is inherited but what they open.
CTX = multiprocessing.get_context("spawn")


class NamespaceTestCase(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="procsync-py-")
        self.ns = procsync.Namespace("t", root=self.root)

    def tearDown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def start(self, target, *args):
        p = CTX.Process(target=target, args=args)
        p.start()
        return p

    def join_ok(self, *procs, timeout=60):
        for p in procs:
            p.join(timeout)
            if p.is_alive():
                p.kill()
                p.join()
                self.fail("child %d did not finish within %ss" % (p.pid, timeout))
            self.assertEqual(0, p.exitcode, "child exit code")


def ns_in(root):
    return procsync.Namespace("t", root=root)


def mode_of(path):
    return os.stat(path).st_mode & 0o777
