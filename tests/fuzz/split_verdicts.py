#!/usr/bin/env python3
"""split_verdicts.py [--documents] OUT RESULTS.json... - seeds for the results fuzz targets from
real results files. OUT is emptied first.

Without --documents: one file per verdict, for the verdict reader (results_reader_fuzz.cpp).
With --documents: one whole results document per verdict (the file's environment, run and
noise, that verdict alone, its summary, and its case's entry of "cases"), for the merge and the
report writers (results_merge_fuzz.cpp, results_render_fuzz.cpp): small enough to fuzz quickly,
whole enough for every writer to draw."""
import json
import pathlib
import shutil
import sys


def document(doc: dict, verdict: dict) -> dict:
    one = {key: doc[key] for key in ("schema_version", "tool", "environment", "run", "noise",
                                     "interrupted", "source_bases") if key in doc}
    skipped = verdict.get("verdict") == "skipped"
    passed = verdict.get("passed") is True
    one["summary"] = {"passed": int(passed and not skipped), "failed": int(not passed and not skipped),
                      "skipped": int(skipped), "total": 1}
    one["verdicts"] = [verdict]
    case = doc.get("cases", {}).get(verdict.get("case"))
    one["cases"] = {verdict["case"]: case} if case is not None else {}
    return one


def main() -> int:
    args = sys.argv[1:]
    documents = bool(args) and args[0] == "--documents"
    if documents:
        args = args[1:]
    if len(args) < 2:
        print("usage: split_verdicts.py [--documents] OUT RESULTS.json...", file=sys.stderr)
        return 2
    out = pathlib.Path(args[0])
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    count = 0
    for results in args[1:]:
        with open(results, encoding="utf-8") as f:
            doc = json.load(f)
        for verdict in doc.get("verdicts", []):
            name = f"{pathlib.Path(results).stem}-{count:04d}.json"
            seed = document(doc, verdict) if documents else verdict
            (out / name).write_text(json.dumps(seed), encoding="utf-8")
            count += 1
    if count == 0:
        print(f"split_verdicts.py: no verdicts in {args[1:]}", file=sys.stderr)
        return 1
    what = "documents" if documents else "verdicts"
    print(f"split_verdicts.py: {count} {what} into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
