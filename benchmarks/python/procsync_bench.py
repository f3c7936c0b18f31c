#!/usr/bin/env python3
"""Python <-> Python through procsync (C extension, ctypes fallback) and through multiprocessing,
in one run, on the same harness: the Lock pair, Event ping-pong and Queue 64 B throughput.

    PYTHONPATH=python python3 benchmarks/python/procsync_bench.py [--seconds S] [--markdown]

Each impl is measured in a fresh interpreter (the fallback with PROCSYNC_NO_EXTENSION=1), so one
never warms the other; peers are started with the spawn method and share nothing but the named
primitives. Lock pair: median ns per acquire+release over 50 batches in one process. Event
ping-pong: median round trip (ping.set / pong.wait / pong.clear against the mirror). Queue: one
producer and one consumer process, 64-byte bytes payloads, messages per second over the window.
"""

import argparse
import json
import multiprocessing as mp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

IMPLS = ("procsync-ext", "procsync-ctypes", "python-mp")


# ---- primitives per impl ----

def _ns(root):
    import procsync
    return procsync.Namespace("bench", root=root)


def make(impl, root, what, name):
    if impl == "python-mp":
        raise AssertionError("mp objects are created by the parent")
    ns = _ns(root)
    if what == "lock":
        return ns.Lock(name)
    if what == "event":
        return ns.Event(name)
    if what == "queue":
        return ns.Queue(name, maxsize=1024, codec="bytes")
    raise ValueError(what)


# ---- workloads ----

def lock_pair(impl, root, seconds):
    lock = mp.Lock() if impl == "python-mp" else make(impl, root, "lock", "l")
    acq, rel = lock.acquire, lock.release
    batch = 20000
    end = time.perf_counter() + seconds
    samples = []
    while time.perf_counter() < end or len(samples) < 5:
        t = time.perf_counter_ns()
        for _ in range(batch):
            acq()
            rel()
        samples.append((time.perf_counter_ns() - t) / batch)
    return {"ns_per_pair": statistics.median(samples)}


def _pong(impl, root, ping, pong, n):
    if impl != "python-mp":
        ping, pong = make(impl, root, "event", "ping"), make(impl, root, "event", "pong")
    for _ in range(n):
        ping.wait()
        ping.clear()
        pong.set()


def pingpong_event(impl, root, seconds):
    ctx = mp.get_context("spawn")
    if impl == "python-mp":
        ping, pong = ctx.Event(), ctx.Event()
    else:
        ping, pong = make(impl, root, "event", "ping"), make(impl, root, "event", "pong")
    n = max(200, int(seconds * 2000))
    p = ctx.Process(target=_pong, args=(impl, root, None if impl != "python-mp" else ping,
                                        None if impl != "python-mp" else pong, n))
    p.start()
    # The first rounds wait for the peer to start; they fall in the discarded first tenth.
    rtts = []
    for _ in range(n):
        t = time.perf_counter_ns()
        ping.set()
        pong.wait()
        pong.clear()
        rtts.append(time.perf_counter_ns() - t)
    p.join(60)
    rtts = rtts[len(rtts) // 10:]
    rtts.sort()
    return {"p50_ns": rtts[len(rtts) // 2], "p90_ns": rtts[int(len(rtts) * 0.9)], "n": len(rtts)}


def _consume(impl, root, q, n, ready):
    if impl != "python-mp":
        q = make(impl, root, "queue", "q")
    ready.set()
    for _ in range(n):
        q.get()


def queue_64(impl, root, seconds):
    ctx = mp.get_context("spawn")
    payload = b"x" * 64
    n = max(20000, int(seconds * 150000))
    q = ctx.Queue(1024) if impl == "python-mp" else make(impl, root, "queue", "q")
    ready = ctx.Event()
    p = ctx.Process(target=_consume, args=(impl, root, q if impl == "python-mp" else None, n, ready))
    p.start()
    ready.wait(120)                                   # the clock starts once the consumer runs
    t = time.perf_counter()
    put = q.put
    for _ in range(n):
        put(payload)
    p.join(600)
    elapsed = time.perf_counter() - t
    return {"msgs_per_s": n / elapsed, "msgs": n}


WORKLOADS = {"lock-pair": lock_pair, "pingpong-event": pingpong_event, "queue-1to1-64": queue_64}


def run_impl(impl, seconds):
    """In this interpreter: every workload for one impl; JSON lines on stdout."""
    root = tempfile.mkdtemp(prefix="procsync-bench-")
    try:
        if impl != "python-mp":
            import procsync
            want = impl == "procsync-ext"
            if procsync.accelerated != want:
                raise SystemExit("%s asked but procsync.accelerated=%s (build the extension: "
                                 "python3 python/procsync_build.py)" % (impl, procsync.accelerated))
        for name, fn in WORKLOADS.items():
            rec = {"impl": impl, "workload": name}
            rec.update(fn(impl, root, seconds))
            print(json.dumps(rec), flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--impl", choices=IMPLS)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    if args.impl:
        run_impl(args.impl, args.seconds)
        return
    results = {}
    for impl in IMPLS:
        env = dict(os.environ)
        if impl == "procsync-ctypes":
            env["PROCSYNC_NO_EXTENSION"] = "1"
        out = subprocess.run([sys.executable, __file__, "--impl", impl, "--seconds", str(args.seconds)],
                             env=env, stdout=subprocess.PIPE, text=True, check=True).stdout
        for line in out.splitlines():
            rec = json.loads(line)
            print(line, flush=True)
            results[(rec["impl"], rec["workload"])] = rec
    if args.markdown:
        print()
        print("| workload | procsync (extension) | procsync (ctypes fallback) | multiprocessing | "
              "extension vs mp | fallback vs mp |")
        print("|---|---|---|---|---|---|")
        for w, key, unit, lower_better in (("lock-pair", "ns_per_pair", "ns", True),
                                           ("pingpong-event", "p50_ns", "ns p50", True),
                                           ("queue-1to1-64", "msgs_per_s", "msg/s", False)):
            e, c, m = (results[(i, w)][key] for i in IMPLS)
            ratio = (lambda x: m / x) if lower_better else (lambda x: x / m)
            print("| %s | %.0f %s | %.0f %s | %.0f %s | %.2f× | %.2f× |"
                  % (w, e, unit, c, unit, m, unit, ratio(e), ratio(c)))


if __name__ == "__main__":
    main()
