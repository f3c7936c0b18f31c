"""The client's layout constants against the JVM's descriptors.

docs/layout/layouts.json is generated from the Java layout descriptors (and checked against them by
the JVM build's LayoutDocsTest), so comparing procsync._layout with it ties the two implementations
to one source of truth: a layout change on either side that the other does not follow fails here.
"""
import json
import os
import unittest

from procsync import _layout as L

HERE = os.path.dirname(os.path.abspath(__file__))


def _find_json():
    """docs/layout/layouts.json of the checkout this test runs in (the build may copy the package,
    and then names the file in PROCSYNC_LAYOUT_JSON)."""
    named = os.environ.get("PROCSYNC_LAYOUT_JSON", "")
    if named:
        return named
    for start in (HERE, os.getcwd()):
        d = start
        while True:
            candidate = os.path.join(d, "docs", "layout", "layouts.json")
            if os.path.isfile(candidate):
                return candidate
            parent = os.path.dirname(d)
            if parent == d:
                break
            d = parent
    raise AssertionError("docs/layout/layouts.json not found above " + HERE + ": run from a procsync checkout")


JSON = _find_json()

# python class -> (java layout class, {python name: java name} where the names differ)
SAME_NAMES = {
    L.Header: ("HeaderLayout", {}),
    L.Lock: ("LockLayout", {}),
    L.RLock: ("RLockLayout", {}),
    L.Semaphore: ("SemaphoreLayout", {}),
    L.Event: ("EventLayout", {}),
    L.Barrier: ("BarrierLayout", {"SLOT_SIZE": "SLOT_LENGTH", "GENERATION_SHIFT": "GEN_SHIFT",
                                   "GENERATION_MASK": "GEN_MASK"}),
    L.Queue: ("QueueLayout", {}),
    L.Data: ("ValueLayout", {"VALUE_WATCHERS_OFFSET": "WATCHERS_OFFSET",
                             "VALUE_CHANGE_SEQ_OFFSET": "CHANGE_SEQ_OFFSET", "VALUE_BODY_LENGTH": "SCALAR_BODY",
                             "BYTES_DATA_OFFSET": "DATA_OFFSET"}),
    L.Condition: ("ConditionLayout", {}),
    L.Pipe: ("PipeLayout", {}),
}
KIND_CLASSES = {
    "LOCK": ("LockLayout", "KIND"), "RLOCK": ("RLockLayout", "KIND"), "SEMAPHORE": ("SemaphoreLayout", "KIND"),
    "BOUNDED_SEMAPHORE": ("SemaphoreLayout", "BOUNDED_KIND"), "EVENT": ("EventLayout", "KIND"),
    "CONDITION": ("ConditionLayout", "KIND"), "BARRIER": ("BarrierLayout", "KIND"), "VALUE": ("ValueLayout", "KIND"),
    "ARRAY": ("ArrayLayout", "KIND"), "SHARED_MEMORY": ("SharedMemoryLayout", "KIND"),
    "QUEUE": ("QueueLayout", "KIND"), "JOINABLE_QUEUE": ("QueueLayout", "JOINABLE_KIND"),
    "SIMPLE_QUEUE": ("QueueLayout", "SIMPLE_KIND"), "PIPE": ("PipeLayout", "KIND"),
}


def u64(v):
    return v & 0xFFFFFFFFFFFFFFFF


class LayoutJsonTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(JSON, encoding="utf-8") as f:
            cls.doc = json.load(f)
        cls.java = cls.doc["constants"]

    def test_every_shared_constant_equals_the_descriptors(self):
        compared = 0
        for py, (jclass, renames) in SAME_NAMES.items():
            java = self.java[jclass]
            for name, value in vars(py).items():
                if not name.isupper() or not isinstance(value, int):
                    continue
                jname = renames.get(name, name)
                if jname in java:
                    compared += 1
                    self.assertEqual(u64(value), u64(java[jname]),
                                     "%s.%s = %r but the JVM's %s.%s = %r"
                                     % (py.__name__, name, value, jclass, jname, java[jname]))
        self.assertGreater(compared, 90, "too few constants compared: are the names still shared?")

    def test_kind_codes_and_areas_equal_the_descriptors(self):
        for kind, (jclass, jname) in KIND_CLASSES.items():
            self.assertEqual(getattr(L.Kind, kind), self.java[jclass][jname], kind)
        self.assertEqual(L.Data.ARRAY_OFFSET, self.java["ArrayLayout"]["DATA_OFFSET"])
        self.assertEqual(L.Data.MEMORY_OFFSET, self.java["SharedMemoryLayout"]["DATA_OFFSET"])

    def test_the_client_reads_the_layout_version_of_every_kind_it_opens(self):
        # The client writes and accepts Header.LAYOUT_VERSION; a JVM kind whose layout moved on
        # must move the client with it (or the client must refuse that kind, as it refuses the
        # undo-on-death semaphores: tests/test_undo_semaphore.py).
        refused = {("SEMAPHORE", L.Semaphore.UNDO_VERSION)}
        for d in self.doc["layouts"]:
            if not d["relative"] and (d["kind"], d["version"]) not in refused:
                self.assertEqual(L.Header.LAYOUT_VERSION, d["version"], d["title"])
        self.assertIn(("SEMAPHORE", L.Semaphore.UNDO_VERSION),
                      {(d["kind"], d["version"]) for d in self.doc["layouts"]})


if __name__ == "__main__":
    unittest.main()
