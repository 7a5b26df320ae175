#!/usr/bin/env python3
"""How much a --repeat rate depends on what runs beside the trials.

Runs `casebook run --repeat N` over the brief_race fixture (tests/e2e/fixtures/brief_race: two
threads racing on an unlocked counter, which loses updates only while both have a core, and its
fetch_add twin) three ways, and prints a Markdown table of the broken variant's rate under the invariant detector,
each with its 95% Wilson interval:

  default          --repeat N: casebook runs one pair at a time, so a rate is the variant's own
  -j 1             the same, said explicitly
  --share-machine  --repeat N --share-machine -j 2: the broken and the fixed pair run at once

Issue 18 asks that the first two agree (their 95% intervals overlap; exit 1 otherwise); the
third shows the bias that running pairs one at a time removes.

  bench/rate_bias.py [--build build] [--trials 40]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

from chance_stats import wilson


def broken_rate(casebook, bin_dir, trials, flags, out):
    cmd = [casebook, "run", "--bin-dir", bin_dir, "--filter", "brief_race", "--detectors",
           "invariant", "--repeat", str(trials), "--seed", "1", "--out", out, *flags]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        sys.exit(f"rate_bias: {' '.join(cmd)} exited {done.returncode}:\n{done.stdout}"
                 f"{done.stderr}")
    with open(os.path.join(out, "results.json")) as f:
        verdicts = json.load(f)["verdicts"]
    broken = [v for v in verdicts if v["variant"] == "broken"]
    if len(broken) != 1:
        sys.exit(f"rate_bias: no single brief_race/broken verdict in {out}")
    shown = sum(1 for t in broken[0]["trials"]
                if any(f["kind"] == "invariant-violated" for f in t.get("findings", [])))
    return shown, len(broken[0]["trials"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--trials", type=int, default=40)
    a = ap.parse_args()
    casebook = os.path.join(a.build, "bin", "casebook")
    bin_dir = os.path.join(a.build, "e2e-chance", "bin")
    for path in (casebook, os.path.join(bin_dir, "casebook-cases-plain")):
        if not os.access(path, os.X_OK):
            sys.exit(f"rate_bias: {path} is missing; build it with `cmake --build {a.build}`")
    modes = [("default", []), ("-j 1", ["-j", "1"]),
             ("--share-machine -j 2", ["--share-machine", "-j", "2"])]
    rows = []
    with tempfile.TemporaryDirectory(prefix="rate-bias-") as tmp:
        for i, (name, flags) in enumerate(modes):
            shown, n = broken_rate(casebook, bin_dir, a.trials, flags, os.path.join(tmp, str(i)))
            rows.append((name, shown, n, *wilson(shown, n)))
    print("| mode | brief_race/broken: trials that lost updates | rate | 95% interval |")
    print("|---|---|---|---|")
    for name, shown, n, lo, hi in rows:
        print(f"| {name} | {shown}/{n} | {100 * shown / n:.0f}% | "
              f"[{100 * lo:.0f}%, {100 * hi:.0f}%] |")
    (_, s0, n0, lo0, hi0), (_, s1, n1, lo1, hi1) = rows[0], rows[1]
    agree = lo0 <= hi1 and lo1 <= hi0
    print(f"\ndefault and -j 1: the 95% intervals {'overlap' if agree else 'do NOT overlap'}")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
