#!/usr/bin/python3
"""smoke.py - run one casebook benchmark executable at the tiny scale and check its JSON.

    smoke.py EXECUTABLE OUT.json CONFIGURATION PREFIX [PREFIX ...]

Passes when the executable exits 0, its JSON parses (tolerantly, as bench/summarise.py reads
it), its context names CONFIGURATION, some run starts with each PREFIX, and no run reported an
error: every self-check (pi to its stated error, the exact prime sums, counts, message order)
passed. Timings are never checked: the machine is shared and noisy.
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import summarise  # noqa: E402  (bench/summarise.py)


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    exe, out, configuration, prefixes = argv[1], argv[2], argv[3], argv[4:]
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    if os.path.exists(out):
        os.remove(out)
    env = dict(os.environ, CASEBOOK_BENCH_SCALE="tiny")
    proc = subprocess.run([exe, "--benchmark_min_time=0.001", "--benchmark_out=" + out,
                           "--benchmark_out_format=json"], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    failures = []
    if proc.returncode != 0:
        failures.append("exit status %d\n%s" % (proc.returncode, proc.stderr[-4000:]))
    try:
        document, _ = summarise.load_file(out)
    except (OSError, ValueError) as e:
        print("FAIL: %s: %s\n%s" % (out, e, proc.stderr[-4000:]))
        return 1
    context = document.get("context", {})
    if context.get("casebook_configuration") != configuration:
        failures.append("context says configuration %r, not %r" %
                        (context.get("casebook_configuration"), configuration))
    records = summarise.records_of(document, out)
    for prefix in prefixes:
        if not any(r["key"].startswith(prefix) for r in records):
            failures.append("no run named %s..." % prefix)
    for r in records:
        if r["error"]:
            failures.append("%s: %s" % (r["name"], r["error"]))
        if r["workers"] is None:
            failures.append("%s: no workers counter" % r["name"])
    print("%s: %d run(s), %d failure(s)" % (os.path.basename(exe), len(records), len(failures)))
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
