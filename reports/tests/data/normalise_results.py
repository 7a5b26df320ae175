#!/usr/bin/env python3
"""Normalises a real results.json for use as a report-writer test sample.

usage: normalise_results.py IN.json OUT.json SOURCE_ROOT [BUILD_DIR [BUILD_SOURCE_ROOT]]
Replaces what changes from run to run or machine to machine (times, durations, addresses,
process and thread ids, the git commit, the kernel, absolute paths) with fixed values, so
the golden files rendered from the sample are byte-for-byte stable. The verdicts, findings,
stacks and case sources stay exactly as the run produced them. A build directory outside
SOURCE_ROOT (another checkout's build, run read-only) reads as "build/", and the source tree
it was compiled from (named in its debug info) as SOURCE_ROOT.
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


def text(value, prefixes):
    for prefix, replacement in prefixes:
        value = value.replace(prefix, replacement)
    for pattern, replacement in TEXT_RULES:
        value = pattern.sub(replacement, value)
    return value


def walk(node, prefixes, key=None):
    if isinstance(node, dict):
        return {k: walk(v, prefixes, k) for k, v in node.items()}
    if isinstance(node, list):
        return [walk(v, prefixes) for v in node]
    if key in ZERO_KEYS and isinstance(node, (int, float)):
        return 0
    if isinstance(node, str):
        return text(node, prefixes)
    return node


def main(argv):
    if len(argv) not in (4, 5, 6):
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        doc = json.load(f)
    root = argv[3].rstrip("/")
    prefixes = []
    # Longest first: the build directory usually lies inside a source tree.
    if len(argv) > 4 and argv[4].rstrip("/") != root + "/build":
        prefixes.append((argv[4].rstrip("/") + "/", "build/"))
    if len(argv) > 5 and argv[5].rstrip("/") != root:
        prefixes.append((argv[5].rstrip("/") + "/", ""))
    prefixes += [(root + "/", ""), (root, ".")]
    doc = walk(doc, prefixes)
    doc["environment"]["git_commit"] = "0000000000000000000000000000000000000000"
    doc["environment"]["build_commit"] = "0000000000000000000000000000000000000000"
    doc["environment"]["build_dirty"] = False
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
