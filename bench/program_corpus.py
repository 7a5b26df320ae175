#!/usr/bin/env python3
"""How long a corpus of standalone programs takes, cold and with the build cache warm.

Writes COUNT small C programs of our own into a temporary folder, in DataRaceBench's
conventions (-yes/-no names, OpenMP and POSIX threads, a label file with the race lines), then
runs `casebook run --programs DIR --labels DIR/labels.txt` twice with one program cache: the
first run compiles every (program, configuration), the second must compile nothing. Prints a
Markdown table: programs, builds compiled and reused, wall time of each run, and the union
verdicts' TP/FP/TN/FN with precision and recall (every program's label is known, so these
also check the grading). Issue 19 asks for a 200-program corpus in at most 15 minutes on 2
cores, compiles included, and a second run that compiles nothing.

  bench/program_corpus.py [--build build] [--count 200] [-- extra casebook run flags]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

# Each shape: (name, positive, C source with {n} for a size and {k} for a varying constant,
# its race pair for the label file in DataRaceBench's notation, or None).
SHAPES = [
    ("omp-sum", True, """#include <stdio.h>
#define N {n}
int main(void) {{
  static int v[N];
  long total = 0;
  for (int i = 0; i < N; i++) v[i] = (i * {k}) % 11;
#pragma omp parallel for
  for (int i = 0; i < N; i++)
    total = total + v[i];
  printf("%ld\\n", total);
  return 0;
}}
""", "total@9:5:W vs. total@9:13:R"),
    ("omp-sum-reduction", False, """#include <stdio.h>
#define N {n}
int main(void) {{
  static int v[N];
  long total = 0;
  for (int i = 0; i < N; i++) v[i] = (i * {k}) % 11;
#pragma omp parallel for reduction(+ : total)
  for (int i = 0; i < N; i++)
    total = total + v[i];
  printf("%ld\\n", total);
  return 0;
}}
""", None),
    ("omp-shift", True, """#include <stdio.h>
#define N {n}
int main(void) {{
  static double c[N + 1];
  for (int i = 0; i <= N; i++) c[i] = i * 0.{k};
#pragma omp parallel for
  for (int i = 0; i < N; i++)
    c[i] = c[i + 1] + 1.0;
  printf("%f\\n", c[0]);
  return 0;
}}
""", "c[i]@8:5:W vs. c[i+1]@8:12:R"),
    ("omp-private", False, """#include <stdio.h>
#define N {n}
int main(void) {{
  static double in[N], out[N];
  double t;
  for (int i = 0; i < N; i++) in[i] = i + {k};
#pragma omp parallel for private(t)
  for (int i = 0; i < N; i++) {{
    t = in[i] * 2.0;
    out[i] = t;
  }}
  printf("%f\\n", out[N - 1]);
  return 0;
}}
""", None),
    ("pthread-flag", True, """#include <pthread.h>
#include <sched.h>
#include <stdio.h>
static int payload, ready;
static void* publish(void* p) {{
  (void)p;
  payload = {k};
  ready = 1;
  return NULL;
}}
int main(void) {{
  pthread_t t;
  pthread_create(&t, NULL, publish, NULL);
  while (!*(volatile int*)&ready) sched_yield();
  printf("%d\\n", payload);
  pthread_join(t, NULL);
  return 0;
}}
""", "ready@8:3:W vs. ready@14:26:R"),
    ("pthread-locked", False, """#include <pthread.h>
#include <stdio.h>
static long total;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static void* add(void* p) {{
  (void)p;
  for (int i = 0; i < {n}; i++) {{
    pthread_mutex_lock(&m);
    total += {k};
    pthread_mutex_unlock(&m);
  }}
  return NULL;
}}
int main(void) {{
  pthread_t a, b;
  pthread_create(&a, NULL, add, NULL);
  pthread_create(&b, NULL, add, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("%ld\\n", total);
  return 0;
}}
""", None),
]


def write_corpus(folder, count):
    labels = []
    for i in range(count):
        name, positive, text, lines = SHAPES[i % len(SHAPES)]
        file = f"G{i:03d}-{name}-{'yes' if positive else 'no'}.c"
        with open(os.path.join(folder, file), "w") as f:
            f.write(text.format(n=1000 + 10 * i, k=1 + i % 9))
        labels.append(f"{file} {'positive' if positive else 'negative'} {lines or ''}".rstrip())
    with open(os.path.join(folder, "labels.txt"), "w") as f:
        f.write("\n".join(labels) + "\n")


def run(casebook, corpus, cache, out, extra):
    cmd = [casebook, "run", "--programs", corpus, "--labels", os.path.join(corpus, "labels.txt"),
           "--program-cache", cache, "--out", out, "--seed", "1", *extra]
    start = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    seconds = time.monotonic() - start
    if done.returncode not in (0, 1):
        sys.exit(f"program_corpus: {' '.join(cmd)} exited {done.returncode}:\n{done.stderr}")
    with open(os.path.join(out, "results.json")) as f:
        results = json.load(f)
    return seconds, results


def union_counts(results):
    counts = {"tp": 0, "fp": 0, "tn": 0, "fn": 0}
    for v in results["verdicts"]:
        if v["detector"] != "union":
            continue
        flagged = v["verdict"] in ("detected", "false-positive")
        key = ("tp" if flagged else "fn") if v["positive"] else ("fp" if flagged else "tn")
        counts[key] += 1
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--expect-all-right", action="store_true",
                    help="exit 1 unless every union verdict matched its label (the smoke test)")
    ap.add_argument("extra", nargs="*", help="flags for casebook run, after --")
    args = ap.parse_args()
    casebook = os.path.abspath(os.path.join(args.build, "bin", "casebook"))
    work = tempfile.mkdtemp(prefix="casebook-corpus-")
    try:
        corpus = os.path.join(work, "corpus")
        os.makedirs(corpus)
        write_corpus(corpus, args.count)
        cache = os.path.join(work, "cache")
        cold, first = run(casebook, corpus, cache, os.path.join(work, "cold"), args.extra)
        warm, second = run(casebook, corpus, cache, os.path.join(work, "warm"), args.extra)
        c = union_counts(first)
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else float("nan")
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan")
        print(f"| programs | builds compiled (cold) | reused (warm) | cold run | warm run | "
              f"union TP/FP/TN/FN | precision | recall |")
        print("|---|---|---|---|---|---|---|---|")
        print(f"| {args.count} | {first['programs']['compiled']} | "
              f"{second['programs']['reused']} (compiled {second['programs']['compiled']}) | "
              f"{cold:.0f} s | {warm:.0f} s | {c['tp']}/{c['fp']}/{c['tn']}/{c['fn']} | "
              f"{precision:.3f} | {recall:.3f} |")
        if second["programs"]["compiled"] != 0:
            print("program_corpus: the second run compiled again", file=sys.stderr)
            return 1
        if args.expect_all_right and (c["fp"] or c["fn"]):
            print("program_corpus: some union verdicts disagree with their labels",
                  file=sys.stderr)
            return 1
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
