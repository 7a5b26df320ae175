#!/usr/bin/env python3
"""A fuzzing campaign over casebook's parser fuzz targets (tests/fuzz), with a table to show.

usage: campaign.py [--build DIR] [--seconds N] [--jobs N] [--out DIR] [--only NAME,...]

Runs every target (build/bin/casebook-fuzz-*) for --seconds of its own, --jobs at a time, each
into a corpus folder under --out that is kept between campaigns (so a second campaign goes on
from the first), starting from the parser tests' real outputs (build/fuzz-seeds, written when
`ctest -L unit` runs them). Prints a Markdown table: executions, executions per second, corpus
inputs, coverage (libFuzzer's edge count "cov" and feature count "ft"), peak memory, and the
crashes found (crash, leak, timeout and out-of-memory inputs written to --out). The
results reader's target starts instead from the verdicts of the real results the report tests
read (reports/tests/data), split into build/fuzz-seeds-results by split_verdicts.py, and the
merge's and the writers' targets from whole one-verdict documents of the same files
(build/fuzz-seeds-documents, split_verdicts.py --documents). Each crash is
an input to keep in tests/fuzz/regressions/<target>/ once the parser is fixed. Exit status: 0
when no target found a crash, 1 when one did, 2 for a usage error (no targets, no seeds).
"""
import argparse
import concurrent.futures
import glob
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_target(binary, name, seconds, out, seeds):
    """Runs one target; returns its row of figures."""
    corpus = os.path.join(out, "corpus", name)
    os.makedirs(corpus, exist_ok=True)
    prefix = os.path.join(out, name + "-")
    before = set(glob.glob(prefix + "*"))
    start = time.monotonic()
    proc = subprocess.run(
        [binary, f"-max_total_time={seconds}", "-max_len=65536", "-timeout=10",
         "-rss_limit_mb=2048", "-print_final_stats=1", f"-artifact_prefix={prefix}", corpus, seeds],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
        env=dict(os.environ, ASAN_OPTIONS="detect_leaks=1"))
    wall = time.monotonic() - start
    text = proc.stdout
    with open(os.path.join(out, name + ".log"), "w", encoding="utf-8") as log:
        log.write(text)

    def stat(key):
        m = re.search(r"stat::%s:\s+(\d+)" % key, text)
        return int(m.group(1)) if m else None

    status = re.findall(r"#\d+\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)/", text)
    cov, ft, corp = (int(x) for x in status[-1]) if status else (None, None, None)
    found = sorted(set(glob.glob(prefix + "*")) - before)
    found = [f for f in found if re.search(r"-(crash|leak|timeout|oom|slow-unit)-", f)]
    return {
        "name": name, "seconds": wall, "execs": stat("number_of_executed_units"),
        "rss": stat("peak_rss_mb"), "cov": cov, "ft": ft,
        "corpus": len(os.listdir(corpus)), "corp_status": corp, "found": found,
        "exit": proc.returncode,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", default=None, help="default: <build>/fuzz-campaign")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    out = os.path.abspath(args.out or os.path.join(args.build, "fuzz-campaign"))
    seeds = os.path.join(args.build, "fuzz-seeds")
    binaries = sorted(glob.glob(os.path.join(args.build, "bin", "casebook-fuzz-*")))
    names = [os.path.basename(b)[len("casebook-fuzz-"):] for b in binaries]
    if args.only:
        wanted = args.only.split(",")
        unknown = [w for w in wanted if w not in names]
        if unknown:
            sys.exit(f"campaign.py: no fuzz target {', '.join(unknown)} in {args.build}/bin "
                     f"(there are: {', '.join(names) or 'none'})")
        binaries = [b for b, n in zip(binaries, names) if n in wanted]
        names = [n for n in names if n in wanted]  # the binaries' order, not the option's
    if not binaries:
        print(f"campaign.py: no fuzz targets in {args.build}/bin: build them (a clang build "
              f"builds casebook-fuzz-* with the tests)", file=sys.stderr)
        return 2
    if not os.path.isdir(seeds) or not os.listdir(seeds):
        print(f"campaign.py: no seeds in {seeds}: run the parser tests first "
              f"(ctest --test-dir {args.build} -R Real)", file=sys.stderr)
        return 2
    data = os.path.join(ROOT, "reports", "tests", "data")
    split = os.path.join(ROOT, "tests", "fuzz", "split_verdicts.py")
    results_seeds = os.path.join(args.build, "fuzz-seeds-results")
    if "results_reader" in names:
        subprocess.run([sys.executable, split, results_seeds,
                        os.path.join(data, "real_results.json"),
                        os.path.join(data, "extra_case_results.json")], check=True)
    document_seeds = os.path.join(args.build, "fuzz-seeds-documents")
    if "results_merge" in names or "results_render" in names:
        subprocess.run([sys.executable, split, "--documents", document_seeds,
                        os.path.join(data, "real_results.json"),
                        os.path.join(data, "extra_case_results.json"),
                        os.path.join(data, "sample_results.json")], check=True)

    def seeds_of(name):
        if name == "results_reader":
            return results_seeds
        if name in ("results_merge", "results_render"):
            return document_seeds
        return seeds

    os.makedirs(out, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        rows = list(pool.map(lambda bn: run_target(bn[0], bn[1], args.seconds, out,
                                                   seeds_of(bn[1])),
                             zip(binaries, names)))
    print(f"Fuzz campaign, {started}: {args.seconds} s per target, {args.jobs} at a time "
          f"(`tests/fuzz/campaign.py --seconds {args.seconds} --jobs {args.jobs}`)\n")
    print("| target | seconds | executions | exec/s | corpus | cov | ft | peak RSS MB | crashes |")
    print("|---|---|---|---|---|---|---|---|---|")
    crashed = False
    for r in rows:
        execs = r["execs"] or 0
        found = ", ".join(os.path.basename(f) for f in r["found"]) or "0"
        crashed = crashed or bool(r["found"]) or r["exit"] not in (0,)
        print(f"| {r['name']} | {r['seconds']:.0f} | {execs:,} | {execs / max(r['seconds'], 1):,.0f} "
              f"| {r['corpus']} | {r['cov']} | {r['ft']} | {r['rss']} | {found} |")
    print(f"\nlogs and crash inputs: {out}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
