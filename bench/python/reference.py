#!/usr/bin/python3
"""reference.py - the lectures' Python programs, as a reference for the C++ benchmarks.

Sums of primes <= L/3, 2L/3 and L by trial division (three tasks, task t on worker t % k) and
Monte Carlo pi (one seed per worker), each sequential, on k threads (threading) and on k
processes (multiprocessing, fork). Pure standard library, the same algorithms and sizes as
bench/primes.cpp and bench/monte_carlo.cpp, so bench/summarise.py can put the two side by side:
Python threads do not scale (the global interpreter lock lets one thread run bytecode at a
time), Python processes do.

Writes Google Benchmark-shaped JSON (context + benchmarks, names as in the C++ programs,
context casebook_configuration = python). Each answer is checked like the C++ one; a wrong
answer is reported as error_occurred, as Google Benchmark's SkipWithError does.

Usage: reference.py [--scale tiny|short|full] [--workers 1,2,3,4] [--repetitions N] --out F
`full` uses the short sizes too: the full ones take minutes per run in Python.
"""

import argparse
import json
import math
import multiprocessing
import os
import platform
import random
import statistics
import sys
import threading
import time

PRIME_LIMIT = {"tiny": 30_000, "short": 300_000, "full": 300_000}
SAMPLES = {"tiny": 100_000, "short": 2_000_000, "full": 2_000_000}
SEED_BASE = 20240607
TASKS = 3


def task_limit(limit, t):
    return limit * (t + 1) // TASKS


def is_prime(n):
    if n < 4:
        return n >= 2
    if n % 2 == 0 or n % 3 == 0:
        return False
    d = 5
    while d * d <= n:
        if n % d == 0 or n % (d + 2) == 0:
            return False
        d += 6
    return True


def sum_primes(hi):
    return sum(n for n in range(2, hi + 1) if is_prime(n))


def task_share(w, k, limit):
    """Worker w's share: the whole tasks t with t % k == w (zeros for the others)."""
    sums = [0] * TASKS
    for t in range(w, TASKS, k):
        sums[t] = sum_primes(task_limit(limit, t))
    return sums


def reference_sums(limit):
    """The exact sums by a sieve: a different algorithm from the one under test."""
    top = task_limit(limit, TASKS - 1)
    composite = bytearray(top + 1)
    for p in range(2, math.isqrt(top) + 1):
        if not composite[p]:
            composite[p * p :: p] = b"\x01" * len(range(p * p, top + 1, p))
    return [sum(n for n in range(2, task_limit(limit, t) + 1) if not composite[n])
            for t in range(TASKS)]


def hits(w, k, samples):
    """Points inside the quarter circle among worker w's share, from worker w's own seed."""
    gen = random.Random(SEED_BASE + w)
    count = samples * (w + 1) // k - samples * w // k
    rnd = gen.random
    inside = 0
    for _ in range(count):
        x = rnd()
        y = rnd()
        if x * x + y * y <= 1.0:
            inside += 1
    return inside


def _star(args):
    fn, rest = args
    return fn(*rest)


def fan_out(mode, k, fn, args_of):
    """Runs fn(*args_of(w)) for w in range(k) on k threads or k processes; returns results."""
    if mode == "sequential":
        return [fn(*args_of(0))]
    if mode == "threads":
        results = [None] * k

        def run(w):
            results[w] = fn(*args_of(w))

        threads = [threading.Thread(target=run, args=(w,)) for w in range(k)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results
    with multiprocessing.get_context("fork").Pool(k) as pool:
        return pool.map(_star, [(fn, args_of(w)) for w in range(k)], chunksize=1)


def measure(mode, k, fn, args_of, repetitions):
    """Median wall and CPU seconds over the repetitions, and the last results."""
    walls, cpus, children = [], [], []
    results = None
    for _ in range(repetitions):
        t0, c0, ch0 = time.perf_counter(), time.process_time(), os.times()
        results = fan_out(mode, k, fn, args_of)
        t1, c1, ch1 = time.perf_counter(), time.process_time(), os.times()
        walls.append(t1 - t0)
        cpus.append(c1 - c0)
        children.append((ch1.children_user + ch1.children_system) -
                        (ch0.children_user + ch0.children_system))
    return statistics.median(walls), statistics.median(cpus), statistics.median(children), results


def entry(name, workers, items, wall, cpu, children_cpu, repetitions, error=None, **counters):
    run = {
        "name": name,
        "run_name": name,
        "run_type": "iteration",
        "repetitions": repetitions,
        "iterations": 1,
        "real_time": wall * 1e3,
        "cpu_time": cpu * 1e3,
        "time_unit": "ms",
        "workers": workers,
        "items_per_second": items / wall if wall > 0 else None,
    }
    if children_cpu:
        run["children_cpu_s"] = children_cpu
    run.update(counters)
    if error:
        run["error_occurred"] = True
        run["error_message"] = error
    return run


def series(workers):
    yield "sequential", 1
    for mode in ("threads", "processes"):
        for k in workers:
            yield mode, k


def run_primes(limit, workers, repetitions):
    want = reference_sums(limit)
    items = sum(task_limit(limit, t) - 1 for t in range(TASKS))
    for mode, k in series(workers):
        wall, cpu, children, parts = measure(mode, k, task_share, lambda w, k=k: (w, k, limit),
                                             repetitions)
        got = [sum(p[t] for p in parts) for t in range(TASKS)]
        error = None if got == want else f"prime sums {got}, not {want}"
        name = (f"primes/sequential/limit:{limit}" if mode == "sequential" else
                f"primes/tasks/{mode}/workers:{k}/limit:{limit}")
        yield entry(name, k, items, wall, cpu, children, repetitions, error)


def run_monte_carlo(samples, workers, repetitions):
    p = math.pi / 4
    standard_error = 4 * math.sqrt(p * (1 - p) / samples)
    for mode, k in series(workers):
        wall, cpu, children, parts = measure(mode, k, hits, lambda w, k=k: (w, k, samples),
                                             repetitions)
        pi = 4 * sum(parts) / samples
        error = (None if abs(pi - math.pi) <= 5 * standard_error else
                 f"pi estimate {pi} is beyond 5 standard errors")
        name = (f"monte_carlo/sequential/samples:{samples}" if mode == "sequential" else
                f"monte_carlo/{mode}/workers:{k}/samples:{samples}")
        yield entry(name, k, samples, wall, cpu, children, repetitions, error,
                    abs_error=abs(pi - math.pi))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("tiny", "short", "full"), default="short")
    parser.add_argument("--workers", default="1,2,3,4",
                        help="comma-separated worker counts (the C++ series on this machine)")
    parser.add_argument("--repetitions", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    workers = [int(w) for w in args.workers.split(",") if w]

    benchmarks = []
    for run in (run_primes(PRIME_LIMIT[args.scale], workers, args.repetitions),
                run_monte_carlo(SAMPLES[args.scale], workers, args.repetitions)):
        for b in run:
            benchmarks.append(b)
            print(f"{b['name']:<50} {b['real_time']:10.1f} ms"
                  + (f"  ERROR {b['error_message']}" if b.get("error_occurred") else ""),
                  flush=True)
    document = {
        "context": {
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "executable": sys.executable,
            "num_cpus": os.cpu_count(),
            "casebook_configuration": "python",
            "casebook_scale": args.scale,
            "python_version": platform.python_version(),
            "python_implementation": platform.python_implementation(),
            "load_avg": list(os.getloadavg()),
        },
        "benchmarks": benchmarks,
    }
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(document, out, indent=1)
    return 1 if any(b.get("error_occurred") for b in benchmarks) else 0


if __name__ == "__main__":
    sys.exit(main())
