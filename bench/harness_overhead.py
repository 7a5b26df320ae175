#!/usr/bin/python3
"""harness_overhead.py - what the runner adds to each trial, against a bare spawn of the same
command.

    harness_overhead.py --bin DIR [--case racy_lazy_init/fixed] [--trials N] --out F

1. `casebook run --filter CASE --detectors invariant --repeat N -j 1` runs N trials of one
   fixed variant (a case whose work takes about a millisecond, so the runner's share shows).
   Per trial it costs: the verdict's duration_seconds / N (the runner's own measure: spawn,
   watchdog, outcome reading, grading), and the whole command's wall time / N (also its start-up,
   catalog and results.json, spread over N).
2. The same N trial commands (results.json records each one), spawned bare with subprocess,
   one after another: the median wall time.
3. overhead per trial = runner per trial - bare median.

Writes Google Benchmark-shaped JSON (configuration `harness`): harness/bare_spawn,
harness/runner_trial and harness/runner_command, real_time per trial, with the overhead as the
counter overhead_ms. Self-check: the runner exits 0 with the pair passed after N trials, and
every bare spawn exits 0; otherwise the run carries error_occurred, as SkipWithError would.
Python 3 standard library only.
"""

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time


def run_runner(casebook, case, trials, workdir):
    """Runs the runner; returns (wall seconds, results document or None, error or None)."""
    out = os.path.join(workdir, "runner")
    command = [casebook, "run", "--filter", case, "--detectors", "invariant", "--repeat",
               str(trials), "-j", "1", "--seed", "1", "--out", out]
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    wall = time.perf_counter() - start
    try:
        with open(os.path.join(out, "results.json"), encoding="utf-8") as f:
            results = json.load(f)
    except (OSError, ValueError) as e:
        return wall, None, "no results.json from the runner (%s): %s" % (e, proc.stderr[-2000:])
    if proc.returncode != 0:
        return wall, results, "the runner exited %d: %s" % (proc.returncode, proc.stderr[-2000:])
    return wall, results, None


def entry(name, seconds, trials, error=None, **counters):
    run = {"name": name, "run_name": name, "run_type": "iteration", "iterations": trials,
           "real_time": seconds * 1e3, "cpu_time": None, "time_unit": "ms", "workers": 1,
           "items_per_second": 1 / seconds if seconds > 0 else None}
    run.update(counters)
    if error:
        run["error_occurred"] = True
        run["error_message"] = error
    return run


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="the folder holding casebook")
    parser.add_argument("--case", default="racy_lazy_init/fixed")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    casebook = os.path.join(args.bin, "casebook")
    suffix = "trials:%d" % args.trials

    with tempfile.TemporaryDirectory(prefix="casebook-overhead-") as workdir:
        wall, results, error = run_runner(casebook, args.case, args.trials, workdir)
        verdicts = (results or {}).get("verdicts") or []
        verdict = verdicts[0] if len(verdicts) == 1 else None
        if error is None and (verdict is None or not verdict.get("passed")
                              or len(verdict.get("trials") or []) != args.trials):
            error = "expected one passed pair with %d trials" % args.trials
        runner_per_trial = verdict["duration_seconds"] / args.trials if verdict else 0.0

        # The recorded trial commands name the case host by a path relative to where the
        # runner ran (bin/casebook-cases-plain ...): take its file name from --bin instead,
        # and give it an outcome file as the runner does.
        bare, bare_error = [], None
        for i, trial in enumerate((verdict or {}).get("trials") or []):
            words = shlex.split(trial["command"])
            command = [os.path.join(args.bin, os.path.basename(words[0]))] + words[1:] + [
                "--outcome", os.path.join(workdir, "outcome-%d.json" % i)]
            start = time.perf_counter()
            proc = subprocess.run(command, capture_output=True, check=False, timeout=60)
            bare.append(time.perf_counter() - start)
            if proc.returncode != 0 and bare_error is None:
                bare_error = "bare spawn exited %d: %s" % (proc.returncode, trial["command"])
    bare_median = statistics.median(bare) if bare else 0.0
    overhead_ms = (runner_per_trial - bare_median) * 1e3
    benchmarks = [
        entry("harness/bare_spawn/" + suffix, bare_median, args.trials, bare_error or error),
        entry("harness/runner_trial/" + suffix, runner_per_trial, args.trials, error,
              overhead_ms=overhead_ms),
        entry("harness/runner_command/" + suffix, wall / args.trials, args.trials, error,
              overhead_ms=(wall / args.trials - bare_median) * 1e3),
    ]
    document = {
        "context": {
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "casebook_configuration": "harness",
            "num_cpus": os.cpu_count(),
            "load_avg": list(os.getloadavg()),
            "case": args.case,
        },
        "benchmarks": benchmarks,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=1)
    for b in benchmarks:
        print("%-40s %8.2f ms per trial%s" % (
            b["name"], b["real_time"],
            "  ERROR " + b["error_message"] if b.get("error_occurred") else ""))
    return 1 if any(b.get("error_occurred") for b in benchmarks) else 0


if __name__ == "__main__":
    sys.exit(main())
