#!/usr/bin/env python3
"""Normalises a real results.json for use as a report-writer test sample.

usage: normalise_results.py IN.json OUT.json SOURCE_ROOT
Replaces what changes from run to run or machine to machine (times, durations, addresses,
process and thread ids, the git commit, the kernel, absolute paths) with fixed values, so
the golden files rendered from the sample are byte-for-byte stable. The verdicts, findings,
stacks and case sources stay exactly as the run produced them.
"""
import json
import re
import sys

TEXT_RULES = [
    (re.compile(r"0x[0-9a-fA-F]{4,}"), "0x0"),
    (re.compile(r"==\d+=="), "==1=="),
    (re.compile(r"\(pid=\d+\)"), "(pid=1)"),
    (re.compile(r"\(LWP \d+\)"), "(LWP 1)"),
    (re.compile(r"LWP \d+"), "LWP 1"),
    (re.compile(r"\btid=\d+"), "tid=1"),
    (re.compile(r"process \d+"), "process 1"),
    (re.compile(r"BuildId: [0-9a-f]+"), "BuildId: 0"),
    (re.compile(r"\d+(\.\d+)? s\b"), "0.0 s"),
    (re.compile(r"/tmp/tmp\.\w+"), "/tmp/out"),
]
ZERO_KEYS = {"duration_seconds", "duration_ms", "seconds"}


def text(value, root):
    value = value.replace(root + "/", "").replace(root, ".")
    for pattern, replacement in TEXT_RULES:
        value = pattern.sub(replacement, value)
    return value


def walk(node, root, key=None):
    if isinstance(node, dict):
        return {k: walk(v, root, k) for k, v in node.items()}
    if isinstance(node, list):
        return [walk(v, root) for v in node]
    if key in ZERO_KEYS and isinstance(node, (int, float)):
        return 0
    if isinstance(node, str):
        return text(node, root)
    return node


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        doc = json.load(f)
    root = argv[3].rstrip("/")
    doc = walk(doc, root)
    doc["environment"]["git_commit"] = "0000000000000000000000000000000000000000"
    doc["environment"]["kernel"] = "Linux"
    doc["environment"]["machine"] = "x86_64"
    doc["run"]["started_at"] = "2026-01-01T00:00:00Z"
    doc["run"]["jobs"] = 2
    for verdict in doc["verdicts"]:
        for trial in verdict.get("trials", []):
            trial["stderr_tail"] = ""
    with open(argv[2], "w") as f:
        json.dump(doc, f, indent=2, sort_keys=True)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
