#!/usr/bin/env python3
"""Python multiprocessing, measured on the workloads procsync is compared on.

Each workload is written the way a user of the standard library would write it (mp.Lock,
mp.Value, mp.Event, mp.Semaphore, mp.Condition, mp.Pipe, mp.Queue, mp.Array, SharedMemory),
with nothing but the standard library. One JSON object per result goes to stdout with
"impl":"python-mp" and the workload names shared with the C floor and the Java harness;
progress goes to stderr.

    python3 mp_bench.py [--quick] [--seconds S] [--only NAME[,NAME...]] [--run-id ID]
"""

import argparse
import array
import json
import math
import multiprocessing as mp
import os
import platform
import sys
import time
from multiprocessing import shared_memory

ARRAY_LEN = 1_000_000

WORKLOADS = [
    "lock-uncontended",
    "counter-lock",
    "pingpong-event",
    "pingpong-semaphore",
    "pingpong-condition",
    "pingpong-pipe",
    "pingpong-queue",
    "queue-1to1-64",
    "queue-1to1-4096",
    "queue-2to2-64",
    "queue-2to2-4096",
    "array-1m-double",
]


def mono_ns():
    """CLOCK_MONOTONIC is system-wide, so readings from different processes compare."""
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


class Bench:
    def __init__(self, args):
        self.args = args
        self.ctx = mp.get_context(args.start_method) if args.start_method else mp.get_context()
        self.seconds = args.seconds
        self.quick = args.quick

    # -- output --------------------------------------------------------------------------
    def emit(self, workload, **fields):
        rec = {"impl": "python-mp", "workload": workload}
        if self.args.run_id:
            rec["run_id"] = self.args.run_id
        rec.update(fields)
        rec["python"] = platform.python_version()
        rec["start_method"] = self.ctx.get_start_method()
        rec["quick"] = self.quick
        print(json.dumps(rec), flush=True)

    # -- process helpers -----------------------------------------------------------------
    def start(self, target, *args):
        p = self.ctx.Process(target=target, args=args, daemon=True)
        p.start()
        return p

    def join(self, *procs):
        limit = time.monotonic() + self.seconds * 4 + 60
        for p in procs:
            p.join(max(0.0, limit - time.monotonic()))
            if p.is_alive():
                for q in procs:
                    if q.is_alive():
                        q.terminate()
                raise RuntimeError(f"peer process {p.name} did not finish in time")
            if p.exitcode != 0:
                raise RuntimeError(f"peer process {p.name} failed with exit code {p.exitcode}")

    # -- workloads -----------------------------------------------------------------------
    def lock_uncontended(self):
        lock = self.ctx.Lock()
        acquire, release = lock.acquire, lock.release
        batch = 20_000 if self.quick else 100_000
        deadline = time.perf_counter_ns() + int(self.seconds * 1e9)
        pair_ns, with_ns = [], []
        while True:
            t0 = time.perf_counter_ns()
            for _ in range(batch):
                acquire()
                release()
            t1 = time.perf_counter_ns()
            for _ in range(batch):
                with lock:
                    pass
            t2 = time.perf_counter_ns()
            pair_ns.append((t1 - t0) / batch)
            with_ns.append((t2 - t1) / batch)
            if t2 >= deadline:
                break
        pair_ns.sort()
        with_ns.sort()
        self.emit("lock-uncontended", ns_per_op=round(pair_ns[len(pair_ns) // 2], 1),
                  min_ns=round(pair_ns[0], 1), max_ns=round(pair_ns[-1], 1),
                  with_statement_ns=round(with_ns[len(with_ns) // 2], 1),
                  pairs=batch * len(pair_ns), batches=len(pair_ns),
                  op="lock.acquire()+lock.release()")

    def counter_lock(self):
        lock = self.ctx.Lock()
        value = self.ctx.Value("q", 0, lock=False)
        counts = self.ctx.Array("q", 2, lock=False)
        ends = self.ctx.Array("q", 2, lock=False)
        barrier = self.ctx.Barrier(3)
        budget_ns = int(self.seconds * 1e9)
        procs = [self.start(_counter_worker, lock, value, counts, ends, i, barrier, budget_ns)
                 for i in range(2)]
        barrier.wait()
        t0 = mono_ns()
        self.join(*procs)
        secs = (max(ends) - t0) / 1e9
        expected = counts[0] + counts[1]
        exact = value.value == expected
        self.emit("counter-lock", processes=2, increments=value.value, expected=expected,
                  exact=exact, seconds=round(secs, 4),
                  increments_per_s=round(value.value / secs),
                  per_process=[counts[0], counts[1]])
        if not exact:
            raise RuntimeError(f"counter-lock: final count {value.value} != {expected}")

    def _pingpong(self, workload, round_trip, stop, procs, **extra):
        """Time round_trip() (one ping and its answer) until the time budget is spent."""
        warm_until = time.perf_counter_ns() + min(int(self.seconds * 0.1e9), 200_000_000)
        while time.perf_counter_ns() < warm_until:
            round_trip()
        samples = []
        append = samples.append
        clock = time.perf_counter_ns
        start = clock()
        deadline = start + int(self.seconds * 1e9)
        t1 = start
        while t1 < deadline:
            t0 = clock()
            round_trip()
            t1 = clock()
            append(t1 - t0)
        stop()
        self.join(*procs)
        samples.sort()
        n = len(samples)
        self.emit(workload, n=n, p50_ns=_pct(samples, 0.50), p90_ns=_pct(samples, 0.90),
                  p99_ns=_pct(samples, 0.99), p999_ns=_pct(samples, 0.999),
                  min_ns=samples[0], max_ns=samples[-1], mean_ns=round(sum(samples) / n, 1),
                  seconds=round((t1 - start) / 1e9, 3), **extra)

    def pingpong_event(self):
        ping, pong = self.ctx.Event(), self.ctx.Event()
        stop_flag = self.ctx.Value("b", 0, lock=False)
        p = self.start(_event_peer, ping, pong, stop_flag)

        def round_trip():
            ping.set()
            pong.wait()
            pong.clear()

        def stop():
            stop_flag.value = 1
            ping.set()

        self._pingpong("pingpong-event", round_trip, stop, [p], op="set/wait/clear")

    def pingpong_semaphore(self):
        ping, pong = self.ctx.Semaphore(0), self.ctx.Semaphore(0)
        stop_flag = self.ctx.Value("b", 0, lock=False)
        p = self.start(_semaphore_peer, ping, pong, stop_flag)

        def round_trip():
            ping.release()
            pong.acquire()

        def stop():
            stop_flag.value = 1
            ping.release()

        self._pingpong("pingpong-semaphore", round_trip, stop, [p], op="release/acquire")

    def pingpong_condition(self):
        cond = self.ctx.Condition()
        turn = self.ctx.Value("q", 0, lock=False)
        p = self.start(_condition_peer, cond, turn)
        state = {"k": 0}

        def round_trip():
            k = state["k"]
            with cond:
                turn.value = 2 * k + 1
                cond.notify()
                cond.wait_for(lambda: turn.value == 2 * k + 2)
            state["k"] = k + 1

        def stop():
            with cond:
                turn.value = -1
                cond.notify()

        self._pingpong("pingpong-condition", round_trip, stop, [p], op="notify/wait_for")

    def pingpong_pipe(self):
        mine, theirs = self.ctx.Pipe()
        p = self.start(_pipe_peer, theirs)
        state = {"i": 0}

        def round_trip():
            state["i"] += 1
            mine.send(state["i"])
            mine.recv()

        def stop():
            mine.send(None)

        self._pingpong("pingpong-pipe", round_trip, stop, [p], op="send(int)/recv()")

    def pingpong_queue(self):
        q_ping, q_pong = self.ctx.Queue(), self.ctx.Queue()
        p = self.start(_queue_peer, q_ping, q_pong)
        state = {"i": 0}

        def round_trip():
            state["i"] += 1
            q_ping.put(state["i"])
            q_pong.get()

        def stop():
            q_ping.put(None)

        self._pingpong("pingpong-queue", round_trip, stop, [p], op="put(int)/get()")

    def queue_throughput(self, producers, consumers, size):
        workload = f"queue-{producers}to{consumers}-{size}"
        maxsize = self.args.queue_maxsize
        q = self.ctx.Queue(maxsize)
        sent = self.ctx.Array("q", producers, lock=False)
        received = self.ctx.Array("q", consumers, lock=False)
        nbytes = self.ctx.Array("q", consumers, lock=False)
        ends = self.ctx.Array("q", consumers, lock=False)
        barrier = self.ctx.Barrier(producers + consumers + 1)
        budget_ns = int(self.seconds * 1e9)
        prods = [self.start(_queue_producer, q, size, i, sent, barrier, budget_ns)
                 for i in range(producers)]
        cons = [self.start(_queue_consumer, q, i, received, nbytes, ends, barrier)
                for i in range(consumers)]
        barrier.wait()
        t0 = mono_ns()
        self.join(*prods)
        for _ in range(consumers):
            q.put(None)  # one end marker per consumer, after every producer is done
        self.join(*cons)
        q.close()
        q.join_thread()
        secs = (max(ends) - t0) / 1e9
        total_sent, total_recv, total_bytes = sum(sent), sum(received), sum(nbytes)
        verified = total_sent == total_recv and total_bytes == total_sent * size
        self.emit(workload, producers=producers, consumers=consumers, size=size,
                  msgs=total_recv, seconds=round(secs, 4),
                  msgs_per_s=round(total_recv / secs), gb_per_s=round(total_bytes / secs / 1e9, 4),
                  maxsize=maxsize, verified=verified)
        if not verified:
            raise RuntimeError(f"{workload}: sent {total_sent}, received {total_recv}, "
                               f"bytes {total_bytes}")

    def array_1m_double(self):
        expected = array.array("d", (i * 0.5 for i in range(ARRAY_LEN)))
        variants = ["mp.Array-slice", "SharedMemory-memoryview"]
        if not self.quick:
            variants.insert(1, "mp.Array-per-element")
        for variant in variants:
            shm = None
            if variant == "SharedMemory-memoryview":
                shm = shared_memory.SharedMemory(create=True, size=ARRAY_LEN * 8)
                target = shm
            else:
                target = self.ctx.Array("d", ARRAY_LEN)  # lock=True: the default
            times = self.ctx.Array("q", 2, lock=False)
            filled = self.ctx.Event()
            try:
                p = self.start(_array_filler, variant, target, times, filled)
                if not filled.wait(self.seconds * 4 + 120):
                    raise RuntimeError(f"array-1m-double {variant}: filler did not finish")
                t_seen = mono_ns()
                if variant == "mp.Array-slice":
                    got = target[:]
                elif variant == "mp.Array-per-element":
                    got = [target[i] for i in range(ARRAY_LEN)]
                else:
                    got = array.array("d")
                    got.frombytes(shm.buf[:ARRAY_LEN * 8])
                t_read = mono_ns()
                self.join(p)
                if not isinstance(got, array.array):
                    got = array.array("d", got)
                verified = got == expected
                fill_start, fill_end = times[0], times[1]
                self.emit("array-1m-double", variant=variant, elements=ARRAY_LEN,
                          bytes=ARRAY_LEN * 8,
                          fill_s=round((fill_end - fill_start) / 1e9, 5),
                          read_s=round((t_read - t_seen) / 1e9, 5),
                          handoff_s=round((t_seen - fill_end) / 1e9, 6),
                          total_s=round((t_read - fill_start) / 1e9, 5),
                          fill_gb_per_s=round(ARRAY_LEN * 8 / max(fill_end - fill_start, 1), 4),
                          read_gb_per_s=round(ARRAY_LEN * 8 / max(t_read - t_seen, 1), 4),
                          verified=verified)
                if not verified:
                    raise RuntimeError(f"array-1m-double {variant}: values read back differ")
            finally:
                if shm is not None:
                    shm.close()
                    shm.unlink()


# -- peer process bodies (module level so that every start method can run them) --------------

def _counter_worker(lock, value, counts, ends, idx, barrier, budget_ns):
    barrier.wait()
    deadline = mono_ns() + budget_ns
    n = 0
    while True:
        for _ in range(1000):
            with lock:
                value.value += 1
        n += 1000
        if mono_ns() >= deadline:
            break
    ends[idx] = mono_ns()
    counts[idx] = n


def _event_peer(ping, pong, stop_flag):
    while True:
        ping.wait()
        ping.clear()
        if stop_flag.value:
            return
        pong.set()


def _semaphore_peer(ping, pong, stop_flag):
    while True:
        ping.acquire()
        if stop_flag.value:
            return
        pong.release()


def _condition_peer(cond, turn):
    with cond:
        last = 0
        while True:
            cond.wait_for(lambda: turn.value != last)
            v = turn.value
            if v < 0:
                return
            last = v + 1
            turn.value = last
            cond.notify()


def _pipe_peer(conn):
    while True:
        m = conn.recv()
        if m is None:
            return
        conn.send(m)


def _queue_peer(q_ping, q_pong):
    while True:
        m = q_ping.get()
        if m is None:
            return
        q_pong.put(m)


def _queue_producer(q, size, idx, sent, barrier, budget_ns):
    payload = os.urandom(size)
    put = q.put
    barrier.wait()
    deadline = mono_ns() + budget_ns
    n = 0
    while True:
        for _ in range(100):
            put(payload)
        n += 100
        if mono_ns() >= deadline:
            break
    sent[idx] = n
    q.close()
    q.join_thread()  # everything put has reached the pipe before this process counts as done


def _queue_consumer(q, idx, received, nbytes, ends, barrier):
    get = q.get
    barrier.wait()
    n = b = 0
    while True:
        m = get()
        if m is None:
            break
        n += 1
        b += len(m)
    ends[idx] = mono_ns()
    received[idx] = n
    nbytes[idx] = b


def _array_filler(variant, target, times, filled):
    src = array.array("d", (i * 0.5 for i in range(ARRAY_LEN)))
    if variant == "mp.Array-slice":
        t0 = mono_ns()
        target[:] = src
        t1 = mono_ns()
    elif variant == "mp.Array-per-element":
        t0 = mono_ns()
        for i in range(ARRAY_LEN):
            target[i] = i * 0.5
        t1 = mono_ns()
    else:
        view = memoryview(src).cast("B")
        t0 = mono_ns()
        target.buf[:len(view)] = view
        t1 = mono_ns()
        view.release()
        target.close()
    times[0], times[1] = t0, t1
    filled.set()


def _pct(sorted_samples, p):
    """Nearest-rank percentile (the same definition as the C floor)."""
    n = len(sorted_samples)
    rank = min(n, max(1, math.ceil(p * n)))
    return sorted_samples[rank - 1]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="short run (whole script ~<30 s)")
    ap.add_argument("--seconds", type=float, default=None,
                    help="time budget per workload (default 3, or 0.3 with --quick)")
    ap.add_argument("--only", default=None, help="comma-separated workload names to run")
    ap.add_argument("--run-id", default=None, help="copied into every JSON line")
    ap.add_argument("--start-method", default=None, choices=["fork", "spawn", "forkserver"],
                    help="multiprocessing start method (default: the platform default)")
    ap.add_argument("--queue-maxsize", type=int, default=1024,
                    help="maxsize of the queue-* throughput queues (default 1024). Must be "
                         ">= 1: with an unbounded queue a time-bounded producer puts ~10x "
                         "faster than the consumer gets, and draining the backlog takes "
                         "~10x the budget")
    ap.add_argument("--list", action="store_true", help="print the workload names and exit")
    args = ap.parse_args(argv)
    if args.list:
        print("\n".join(WORKLOADS))
        return 0
    if args.seconds is None:
        args.seconds = 0.3 if args.quick else 3.0
    if args.queue_maxsize < 1:
        ap.error("--queue-maxsize must be >= 1")
    if not args.seconds > 0:
        ap.error("--seconds must be positive")
    selected = WORKLOADS
    if args.only:
        selected = [w.strip() for w in args.only.split(",") if w.strip()]
        unknown = [w for w in selected if w not in WORKLOADS]
        if unknown:
            ap.error(f"unknown workload(s): {', '.join(unknown)}; known: {', '.join(WORKLOADS)}")

    bench = Bench(args)
    runners = {
        "lock-uncontended": bench.lock_uncontended,
        "counter-lock": bench.counter_lock,
        "pingpong-event": bench.pingpong_event,
        "pingpong-semaphore": bench.pingpong_semaphore,
        "pingpong-condition": bench.pingpong_condition,
        "pingpong-pipe": bench.pingpong_pipe,
        "pingpong-queue": bench.pingpong_queue,
        "queue-1to1-64": lambda: bench.queue_throughput(1, 1, 64),
        "queue-1to1-4096": lambda: bench.queue_throughput(1, 1, 4096),
        "queue-2to2-64": lambda: bench.queue_throughput(2, 2, 64),
        "queue-2to2-4096": lambda: bench.queue_throughput(2, 2, 4096),
        "array-1m-double": bench.array_1m_double,
    }
    failures = 0
    for w in selected:
        t = time.monotonic()
        print(f"mp_bench: {w} ...", file=sys.stderr, flush=True)
        try:
            runners[w]()
        except Exception as e:  # report and go on with the other workloads
            failures += 1
            print(f"mp_bench: {w} FAILED: {e}", file=sys.stderr, flush=True)
        print(f"mp_bench: {w} done in {time.monotonic() - t:.1f} s", file=sys.stderr, flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
