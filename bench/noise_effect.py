#!/usr/bin/env python3
"""How much schedule noise helps a race show at small inputs.

Runs each (case, inputs) below N times on casebook-cases-plain and N times on
casebook-cases-noise (CASEBOOK_NOISE_LEVEL=LEVEL), with seeds 1..N, alternating the two
binaries so both see the same machine, and prints a Markdown table of how often the broken
variant's invariant failed. At the catalog's default inputs every one of these races shows in
every trial with or without noise (see docs/properties-and-noise.md); at a few hundred
operations a race window is rarely hit by real threads, which is where noise earns its keep.

  bench/noise_effect.py [--bin-dir build/bin] [--trials 40] [--level 3]
"""
import argparse
import json
import os
import subprocess
import sys

# (case, inputs): small enough that the plain build rarely shows the bug.
SMALL = [
    ("unlocked_counter", ["--threads", "2", "--iterations", "200"]),
    ("shared_rng", ["--threads", "2", "--iterations", "100"]),
    ("interleaved_output", ["--threads", "2", "--iterations", "20"]),
    ("shared_map_writers", ["--threads", "2", "--iterations", "50"]),
    ("shared_list_queue", ["--iterations", "50"]),
]


def violated(binary, case, inputs, seed, env):
    out = subprocess.run([binary, "run", case, "broken", *inputs, "--seed", str(seed)],
                         capture_output=True, text=True, env=env, timeout=60)
    if out.returncode != 0:
        return True  # a crash is the bug showing too
    return not json.loads(out.stdout)["holds"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin-dir", default="build/bin")
    ap.add_argument("--trials", type=int, default=40)
    ap.add_argument("--level", type=int, default=3)
    a = ap.parse_args()
    plain = os.path.join(a.bin_dir, "casebook-cases-plain")
    noisy = os.path.join(a.bin_dir, "casebook-cases-noise")
    for b in (plain, noisy):
        if not os.access(b, os.X_OK):
            sys.exit(f"noise_effect: {b} is missing; build it with `cmake --build build`")
    env = dict(os.environ, CASEBOOK_NOISE_LEVEL=str(a.level))
    print(f"| case | inputs | plain: failed | noise level {a.level}: failed |")
    print("|---|---|---|---|")
    for case, inputs in SMALL:
        hits_plain = hits_noise = 0
        for seed in range(1, a.trials + 1):
            hits_plain += violated(plain, case, inputs, seed, os.environ)
            hits_noise += violated(noisy, case, inputs, seed, env)
        print(f"| {case} | `{' '.join(inputs)}` | {hits_plain}/{a.trials} | "
              f"{hits_noise}/{a.trials} |", flush=True)


if __name__ == "__main__":
    main()
