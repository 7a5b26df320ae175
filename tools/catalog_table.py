#!/usr/bin/env python3
"""Prints README.md's catalog table from a results.json of a repeated run.

usage: tools/catalog_table.py RESULTS.json [MORE.json ...]
       (made with: build/bin/casebook run --repeat 20 --out /tmp/rep20)

With several files, each (case, variant, detector) verdict comes from the last file that
holds it: a whole-suite run first, then reruns of the cases or detectors changed since.

One row per case: category, what breaks (the broken variant's title), which detectors
catch it with the kinds they report, and the measured detection rate: for each detector
that must find something in the broken variant, the share of its trials that did.
"""
import json
import sys


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    verdicts, repeats = {}, set()
    for path in argv[1:]:
        with open(path) as f:
            results = json.load(f)
        repeats.add(results["run"]["repeat"])
        for v in results["verdicts"]:
            verdicts[(v["case"], v["variant"], v["detector"])] = v
    cases = {}
    for v in (verdicts[key] for key in sorted(verdicts)):
        row = cases.setdefault(v["case"], {"category": v.get("category", ""), "title": "",
                                           "catch": [], "fixed_ok": True})
        if v["variant"] == "broken":
            row["title"] = v.get("title", "")
            if v["expected"]["verdict"] == "detected":
                trials = v["trials"]
                hits = sum(1 for t in trials
                           if any(f["kind"] in v["expected"]["kinds"] for f in t["findings"]))
                kinds = sorted({f["kind"] for t in trials for f in t["findings"]
                                if f["kind"] in v["expected"]["kinds"]})
                row["catch"].append(f"{v['detector']} `{'`, `'.join(kinds) or '-'}` "
                                    f"{hits}/{len(trials)}")
        elif not v["passed"]:
            row["fixed_ok"] = False
    runs = "/".join(str(r) for r in sorted(repeats))
    print(f"| case | category | what breaks | caught by (trials that detected, of {runs}; "
          f"compiler runs, which give the same answer every time, run once) |")
    print("|---|---|---|---|")
    for name in sorted(cases, key=lambda n: (cases[n]["category"], n)):
        row = cases[name]
        catch = "; ".join(row["catch"]) or "-"
        if not row["fixed_ok"]:
            catch += " (fixed variant FAILED)"
        print(f"| [{name}](cases/{name}/README.md) | {row['category']} | {row['title']} | {catch} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
