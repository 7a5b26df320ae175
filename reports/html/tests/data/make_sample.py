#!/usr/bin/env python3
"""make_sample.py - cut a real results.json down to the HTML writer's committed test sample.

    python3 reports/html/tests/data/make_sample.py RESULTS.json CASE... > sample_results.json

Keeps the named cases (verdicts and case texts), trims what the report only shows in
collapsed form (raw reports, stderr tails, the perf detector's per-run records), and replaces
volatile text (start time, pids, temp paths) with fixed values, so the sample stays small and
its rendering stable. Nothing else is changed: the findings, stacks and sources are the run's.
"""
import json
import re
import sys


def scrub(text):
    text = re.sub(r"pid=\d+", "pid=4242", text)
    text = re.sub(r"tid=\d+", "tid=4243", text)
    text = re.sub(r"LWP \d+", "LWP 4244", text)
    return re.sub(r"/tmp/[\w./-]+", "/tmp/casebook-sample", text)


def trim(text, limit):
    return text if len(text) <= limit else text[:limit] + "\n[... trimmed for the test sample]"


def main():
    results = json.load(open(sys.argv[1]))
    keep = set(sys.argv[2:])
    results["verdicts"] = [v for v in results["verdicts"] if v["case"] in keep]
    results["cases"] = {k: v for k, v in results.get("cases", {}).items() if k in keep}
    results["run"]["started_at"] = "2026-01-01T00:00:00Z"
    results["run"]["filter"] = ",".join(sorted(keep))
    results["run"]["command"] = "build/bin/casebook run --filter " + ",".join(sorted(keep))
    summary = {"passed": 0, "failed": 0, "skipped": 0, "infrastructure_errors": 0}
    for v in results["verdicts"]:
        if v["verdict"] == "skipped":
            summary["skipped"] += 1
        elif v["passed"]:
            summary["passed"] += 1
        else:
            summary["failed"] += 1
        summary["infrastructure_errors"] += 1 if v.get("infrastructure") else 0
        for t in v["trials"]:
            t["command"] = scrub(t.get("command", ""))
            t["stderr_tail"] = scrub(trim(t.get("stderr_tail", ""), 600))
            if isinstance(t.get("outcome"), dict):
                t["outcome"].pop("runs", None)
            for f in t["findings"]:
                f["raw"] = scrub(trim(f.get("raw", ""), 3000))
                f["summary"] = scrub(f["summary"])
                for s in f["stacks"]:
                    s["title"] = scrub(s["title"])
                    s["thread"] = scrub(s.get("thread", ""))
    summary["total"] = len(results["verdicts"])
    results["summary"] = summary
    # One verdict per line: small, and a refreshed sample still diffs verdict by verdict.
    out = sys.stdout
    out.write("{\n")
    keys = sorted(results)
    for i, key in enumerate(keys):
        out.write(json.dumps(key) + ": ")
        if key == "verdicts":
            out.write("[\n" + ",\n".join(json.dumps(v, sort_keys=True) for v in results[key]) + "\n]")
        else:
            out.write(json.dumps(results[key], indent=1, sort_keys=True))
        out.write(",\n" if i + 1 < len(keys) else "\n")
    out.write("}\n")


if __name__ == "__main__":
    main()
