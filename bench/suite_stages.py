#!/usr/bin/env python3
"""Where a fresh clone's `ci/run-suite.sh` spends its time, stage by stage.

Clones REPO at COMMIT into WORKDIR (removed first), runs `ci/run-suite.sh` there as a new
user would, timestamping every line it prints, then runs it a second time with nothing
changed. Prints a Markdown table of the stages (install and configure, build, the default
pass, the Valgrind pass, benchmarks and reports, the whole job; the second run's build step),
read from the lines the scripts print (`ci/setup.sh [m:ss] ...`, `== the Valgrind pass`,
casebook's `Wrote ... (N s)` and the closing summary line). Exit status: the first run's.
Issue 20's targets: install and build at most 6 min, the whole job at most 10 min, the second
run's build step under 5 s.

  bench/suite_stages.py --repo /path/to/casebook --commit HEAD --workdir /tmp/fresh
"""
import argparse
import re
import shutil
import subprocess
import sys
import time


def timed_run(cwd):
    """Runs ci/run-suite.sh in cwd; returns (exit status, [(seconds since start, line)])."""
    start = time.monotonic()
    lines = []
    with subprocess.Popen(["bash", "ci/run-suite.sh"], cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, bufsize=1) as child:
        for line in child.stdout:
            lines.append((time.monotonic() - start, line.rstrip("\n")))
        status = child.wait()
    lines.append((time.monotonic() - start, "<end>"))
    return status, lines


def first(lines, pattern):
    """The time of the first line matching pattern, or None."""
    for t, line in lines:
        if re.search(pattern, line):
            return t
    return None


def stages(lines):
    built = first(lines, r"^ci/setup\.sh \[[0-9:]+\] built ")
    building = first(lines, r"^ci/setup\.sh \[[0-9:]+\] building ")
    default_done = first(lines, r"^Wrote .*results\.json")
    valgrind_start = first(lines, r"^== the Valgrind pass")
    end = lines[-1][0]
    valgrind_done = None
    if valgrind_start is not None:
        later = [(t, l) for t, l in lines if t > valgrind_start]
        valgrind_done = first(later, r"^Wrote .*results\.json")
    return {
        "install and configure": building,
        "build": (built - building) if built is not None and building is not None else None,
        "default pass": (default_done - built) if default_done and built else None,
        "Valgrind pass": (valgrind_done - valgrind_start) if valgrind_done and valgrind_start else None,
        "benchmarks and reports": (end - (valgrind_done or default_done))
        if (valgrind_done or default_done) else None,
        "whole job": end,
    }


def fmt(seconds):
    if seconds is None:
        return "–"
    return f"{int(seconds // 60)} min {seconds % 60:.0f} s" if seconds >= 60 else f"{seconds:.1f} s"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", required=True)
    ap.add_argument("--commit", default="HEAD")
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    shutil.rmtree(args.workdir, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", args.repo, args.workdir], check=True)
    subprocess.run(["git", "checkout", "-q", args.commit], cwd=args.workdir, check=True)
    status, first_run = timed_run(args.workdir)
    second_status, second_run = timed_run(args.workdir)
    one = stages(first_run)
    two = stages(second_run)
    print("| stage, fresh clone | time |")
    print("|---|---|")
    for name, seconds in one.items():
        print(f"| {name} | {fmt(seconds)} |")
    print(f"| second run, nothing changed: build step | {fmt(two['build'])} |")
    print(f"| second run, whole job | {fmt(two['whole job'])} |")
    print()
    print(f"first run: exit {status}, `{first_run[-2][1]}`; "
          f"second run: exit {second_status}, `{second_run[-2][1]}`")
    return status


if __name__ == "__main__":
    sys.exit(main())
