"""The Python half of the cross-language tests: one command per run, results on stdout.

    peer.py <root> <namespace> <command> [args...]

Every wait is bounded; a failed check exits non-zero with the reason on stderr.
"""

import json
import os
import sys
import time

import procsync


def fail(message):
    print("FAIL " + message, flush=True)
    sys.exit(3)


def counter(ns, n):
    lock = ns.Lock("l")
    value = ns.Value("counter", "q", lock=False)
    ns.Event("go").wait(60) or fail("no go")
    for _ in range(int(n)):
        with lock:
            value.value = value.value + 1      # not atomic: only the lock makes the total exact
    print("DONE", flush=True)


def lock_hold(ns):
    lock = ns.Lock("l")
    lock.acquire()
    print("HELD %d" % os.getpid(), flush=True)
    time.sleep(600)


def lock_wait(ns, seconds):
    lock = ns.Lock("l")
    print("WAITING", flush=True)
    got = lock.acquire(timeout=float(seconds))
    print("TAKEN %s %s" % (got, got and lock.previous_owner_died()), flush=True)
    if got:
        lock.release()


def event_set(ns):
    ns.Event("e").set()
    print("SET", flush=True)


def event_wait(ns, seconds):
    e = ns.Event("e")
    print("WAITING", flush=True)
    print("WOKE %s" % e.wait(float(seconds)), flush=True)


def produce(ns, producer, n, capacity):
    q = ns.Queue("q", codec="json", capacity_bytes=int(capacity))
    for i in range(int(n)):
        q.put({"producer": producer, "seq": i, "text": "message %d" % i})
    print("PRODUCED %s" % n, flush=True)


def consume(ns, producers, n_each, capacity):
    q = ns.Queue("q", codec="json", capacity_bytes=int(capacity))
    expected = {p: 0 for p in producers.split(",")}
    total = len(expected) * int(n_each)
    for _ in range(total):
        m = q.get(timeout=60)
        p = m["producer"]
        if p not in expected:
            fail("unknown producer %r" % p)
        if m["seq"] != expected[p]:
            fail("producer %s: got seq %d, expected %d" % (p, m["seq"], expected[p]))
        if m["text"] != "message %d" % m["seq"]:
            fail("bad text %r" % m)
        expected[p] += 1
    if q.qsize() != 0:
        fail("%d messages left over" % q.qsize())
    print("CONSUMED %d" % total, flush=True)


def barrier(ns, parties, rounds):
    b = ns.Barrier("b", int(parties))
    indexes = []
    for _ in range(int(rounds)):
        indexes.append(b.wait(60))
    print("PASSED %s" % json.dumps(indexes), flush=True)


def condition_wait(ns, seconds):
    c = ns.Condition("c")
    with c:
        print("WAITING", flush=True)
        woke = c.wait(float(seconds))
        held = c._lock._is_owned()
    print("WOKE %s held=%s" % (woke, held), flush=True)


def condition_notify(ns, seconds):
    c = ns.Condition("c")
    if not c.acquire(timeout=float(seconds)):
        fail("the JVM waiter did not release the lock")
    try:
        n = c.notify(1)
    finally:
        c.release()
    print("NOTIFIED %d" % n, flush=True)


def pipe_echo(ns, name):
    b = ns.Pipe(name, end="B")
    print("OPEN", flush=True)
    n = 0
    try:
        while True:
            b.send_bytes(b.recv_bytes())
            n += 1
    except EOFError as e:
        print("EOF %d %s" % (n, e), flush=True)


def pipe_send_die(ns, name, n):
    b = ns.Pipe(name, end="B", codec="utf8")
    for i in range(int(n)):
        b.send("message %d" % i)
    print("SENT", flush=True)
    os.kill(os.getpid(), 9)


def pipe_drain(ns, name):
    """Receives until end of stream, then sends until the pipe breaks (the peer is dead)."""
    b = ns.Pipe(name, end="B", codec="utf8", capacity=4096)
    got = []
    try:
        while True:
            got.append(b.recv())
    except EOFError as e:
        print("EOF %s %s" % (json.dumps(got), e), flush=True)
    try:
        for i in range(100000):
            b.send("filler %d" % i)
        fail("sent 100000 messages to a dead reader")
    except BrokenPipeError as e:
        print("BROKEN %s" % e, flush=True)


def bytes_set(ns, text):
    ns.Value("b", "64s").value = text.encode("utf-8")
    print("SET", flush=True)


def bytes_get(ns):
    print("GOT %s" % ns.Value("b", "64s").value.decode("utf-8"), flush=True)


def layout(ns):
    from procsync import _layout
    out = {}
    for cls_name in ("Header", "Kind", "Lock", "RLock", "Semaphore", "Event", "Barrier", "Data", "Queue"):
        cls = getattr(_layout, cls_name)
        out[cls_name] = {k: v for k, v in vars(cls).items() if k.isupper() and isinstance(v, int)}
    print("LAYOUT " + json.dumps(out), flush=True)


def main():
    root, name, command, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    ns = procsync.Namespace(name, root=root)
    print("PEER %s accelerated=%s" % (command, procsync.accelerated), flush=True)
    globals()[command.replace("-", "_")](ns, *args)


if __name__ == "__main__":
    main()
