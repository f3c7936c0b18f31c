"""The JVM's undo-on-death semaphores (SemaphoreOptions.undoOnDeath()) are refused, not misused.

Such a semaphore records every process's permits in a ledger that each acquire and release must
update under its book word (docs/layout/sync-b.md, "Undo on death"). This client does not keep
that ledger, so it must refuse to open one, naming the mode, rather than change the count and
leave the JVMs' accounting wrong. The file is made here as the JVM makes it: a semaphore segment
whose header says layout version 2 and param 1 = the number of holder slots.
"""
import unittest

from procsync import _layout as L
from procsync._segment import create_or_open

from .support import NamespaceTestCase


class UndoSemaphoreRefusal(NamespaceTestCase):
    def _undo_file(self, name, kind, permits, slots=64):
        body = L.Semaphore.BODY_LENGTH + 56 + 32 * slots   # state, ledger, slots (SemaphoreLayout.UNDO)

        def init(seg):
            seg.set_u64(L.Semaphore.STATE_OFFSET, permits)
            seg.set_u64(L.Header.PARAM_OFFSET + 8 * L.Semaphore.PARAM_UNDO_SLOTS, slots)
            seg.set_u32(L.Header.VERSION_OFFSET, L.Semaphore.UNDO_VERSION)

        create_or_open(self.ns, name, kind, body, params=(permits,), param_names=("permits",), init=init).close()

    def test_should_refuse_an_undo_mode_semaphore_naming_the_mode(self):
        self._undo_file("u", L.Kind.SEMAPHORE, 2)
        with self.assertRaises(NotImplementedError) as caught:
            self.ns.Semaphore("u", 2)
        self.assertIn("undo-on-death", str(caught.exception))
        self.assertIn("undoOnDeath(64)", str(caught.exception))

    def test_should_refuse_an_undo_mode_bounded_semaphore(self):
        self._undo_file("b", L.Kind.BOUNDED_SEMAPHORE, 1, slots=8)
        with self.assertRaises(NotImplementedError) as caught:
            self.ns.BoundedSemaphore("b", 1)
        self.assertIn("undoOnDeath(8)", str(caught.exception))

    def test_should_still_open_a_plain_semaphore(self):
        s = self.ns.Semaphore("p", 1)
        self.assertTrue(s.acquire(False))
        s.release()


if __name__ == "__main__":
    unittest.main()
