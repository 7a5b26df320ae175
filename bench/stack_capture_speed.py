#!/usr/bin/env python3
"""How long each stack tool takes to read every thread of a hung catalog process.

Starts `casebook-cases-plain run lost_wakeup broken` (it hangs: a lost wake-up), then takes its
stacks REPS times with each tool the watchdog can use, alternating them so both see the same
machine, and prints a Markdown table: median and slowest seconds per capture, and whether the
case's own source line (cases/lost_wakeup/broken.cpp) is in the output.

  gdb       gdb -batch -nx -p PID -ex "set pagination off" -ex "thread apply all bt"
  eu-stack  eu-stack -p PID -i -s -m   (elfutils; inlined frames, source lines, modules)

  bench/stack_capture_speed.py [--bin-dir build/bin] [--reps 10]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

TOOLS = {
    "gdb": lambda pid: ["gdb", "-batch", "-nx", "-p", str(pid), "-ex", "set pagination off",
                        "-ex", "thread apply all bt"],
    "eu-stack": lambda pid: ["eu-stack", "-p", str(pid), "-i", "-s", "-m"],
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin-dir", default="build/bin")
    ap.add_argument("--reps", type=int, default=10)
    a = ap.parse_args()
    binary = os.path.join(a.bin_dir, "casebook-cases-plain")
    if not os.access(binary, os.X_OK):
        sys.exit(f"stack_capture_speed: {binary} is missing; build it with `cmake --build build`")
    tools = [t for t in TOOLS if shutil.which(t)]
    if not tools:
        sys.exit("stack_capture_speed: neither gdb nor eu-stack is installed")
    env = dict(os.environ, DEBUGINFOD_URLS="", LC_ALL="C")
    hung = subprocess.Popen([binary, "run", "lost_wakeup", "broken"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)  # past the point where every thread waits
        seconds = {t: [] for t in tools}
        has_line = {t: True for t in tools}
        for _ in range(a.reps):
            for t in tools:
                start = time.monotonic()
                out = subprocess.run(TOOLS[t](hung.pid), capture_output=True, text=True, env=env,
                                     timeout=60)
                seconds[t].append(time.monotonic() - start)
                has_line[t] &= "lost_wakeup/broken.cpp:" in out.stdout
    finally:
        hung.kill()
        hung.wait()
    print("| tool | median s per process | slowest s | the case's source line |")
    print("|---|---|---|---|")
    for t in tools:
        print(f"| {t} | {statistics.median(seconds[t]):.3f} | {max(seconds[t]):.3f} | "
              f"{'yes' if has_line[t] else 'no'} |")


if __name__ == "__main__":
    main()
