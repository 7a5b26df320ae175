#!/usr/bin/env python3
"""split_verdicts.py OUT RESULTS.json... - one file per verdict of real results files, as seeds
for the results reader's fuzz target (results_reader_fuzz.cpp). OUT is emptied first."""
import json
import pathlib
import shutil
import sys


def main() -> int:
    if len(sys.argv) < 3:
        print("usage: split_verdicts.py OUT RESULTS.json...", file=sys.stderr)
        return 2
    out = pathlib.Path(sys.argv[1])
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    count = 0
    for results in sys.argv[2:]:
        with open(results, encoding="utf-8") as f:
            doc = json.load(f)
        for verdict in doc.get("verdicts", []):
            name = f"{pathlib.Path(results).stem}-{count:04d}.json"
            (out / name).write_text(json.dumps(verdict), encoding="utf-8")
            count += 1
    if count == 0:
        print(f"split_verdicts.py: no verdicts in {sys.argv[2:]}", file=sys.stderr)
        return 1
    print(f"split_verdicts.py: {count} verdicts into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
