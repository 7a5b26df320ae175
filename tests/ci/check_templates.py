#!/usr/bin/env python3
"""Checks that the CI templates in ci/templates/ do what docs/ci.md says they do.

usage: check_templates.py CI_TEMPLATES_DIR
yamllint checks their form; this checks their content: the GitHub workflow runs a matrix of
compiler x shard with ci/run-suite.sh --shard, keeps every shard's reports, merges them with
`casebook report`, and uploads SARIF with one category per detector; the GitLab file runs
parallel shards, hands JUnit to GitLab, and keeps the HTML report as an artifact always. Both
install ccache and keep its folder (CCACHE_DIR) between runs, and both run casebook's own tests
(ci/run-tests.sh) in a job of their own.
"""
import os
import sys

import yaml


def fail(message):
    print(f"check_templates.py: {message}", file=sys.stderr)
    sys.exit(1)


def steps_text(job):
    return "\n".join(str(step.get("run", "")) + str(step.get("uses", "")) +
                     str(step.get("with", "")) for step in job.get("steps", []))


def check_github(path):
    with open(path) as f:
        wf = yaml.safe_load(f)
    jobs = wf.get("jobs", {})
    suite, merge, sarif = jobs.get("suite"), jobs.get("merge"), jobs.get("sarif")
    if not (suite and merge and sarif):
        fail(f"{path}: wants jobs suite, merge and sarif, has {sorted(jobs)}")
    matrix = suite["strategy"]["matrix"]
    if sorted(matrix.get("compiler", [])) != ["clang", "gcc"] or len(matrix.get("shard", [])) < 2:
        fail(f"{path}: the suite matrix must cover clang and gcc and several shards: {matrix}")
    text = steps_text(suite)
    if "ci/run-suite.sh --shard" not in text or "upload-artifact" not in text:
        fail(f"{path}: each suite job must run ci/run-suite.sh --shard and keep its reports")
    ccache_dir = suite.get("env", {}).get("CCACHE_DIR", "")
    cached = [s for s in suite["steps"] if "actions/cache" in str(s.get("uses", ""))]
    if "ccache" not in text or not ccache_dir.endswith(".ccache") or not cached or \
            cached[0].get("with", {}).get("path") != ".ccache":
        fail(f"{path}: each suite job must install ccache and keep CCACHE_DIR (.ccache) cached")
    tests = jobs.get("tests")
    if not tests or "ci/run-tests.sh" not in steps_text(tests):
        fail(f"{path}: a job 'tests' must run ci/run-tests.sh (casebook's own tests)")
    if "suite" not in str(merge.get("needs")) or "casebook report" not in steps_text(merge):
        fail(f"{path}: the merge job must need the suite and run casebook report")
    if "--sarif-by-detector" not in steps_text(merge):
        fail(f"{path}: the merge job must split SARIF by detector")
    detectors = sarif["strategy"]["matrix"].get("detector", [])
    upload = [s for s in sarif["steps"] if "upload-sarif" in str(s.get("uses", ""))]
    if not upload or "matrix.detector" not in str(upload[0].get("with", {}).get("category")):
        fail(f"{path}: SARIF must be uploaded with one category per detector")
    for wanted in ("tsan", "asan", "watchdog", "invariant", "compile"):
        if wanted not in detectors:
            fail(f"{path}: the SARIF upload matrix lacks {wanted}")
    if sarif.get("permissions", {}).get("security-events") != "write":
        fail(f"{path}: uploading SARIF needs permissions: security-events: write")


def check_gitlab(path):
    with open(path) as f:
        ci = yaml.safe_load(f)
    suite = ci.get(".suite")
    if not suite or not isinstance(suite.get("parallel"), int) or suite["parallel"] < 2:
        fail(f"{path}: .suite must run parallel shards")
    if "--shard" not in " ".join(suite.get("script", [])):
        fail(f"{path}: .suite must pass --shard from CI_NODE_INDEX/CI_NODE_TOTAL")
    ccache_dir = suite.get("variables", {}).get("CCACHE_DIR", "")
    cache_paths = suite.get("cache", {}).get("paths", [])
    if "ccache" not in " ".join(suite.get("before_script", [])) or \
            not ccache_dir.endswith(".ccache") or not any(".ccache" in p for p in cache_paths):
        fail(f"{path}: .suite must install ccache and cache CCACHE_DIR (.ccache)")
    artifacts = suite.get("artifacts", {})
    if artifacts.get("when") != "always" or "junit" not in artifacts.get("reports", {}):
        fail(f"{path}: shard artifacts must be kept always, with reports:junit")
    merge = ci.get(".merge", {})
    if "casebook\" report" not in " ".join(merge.get("script", [])) and \
            "casebook report" not in " ".join(merge.get("script", [])):
        fail(f"{path}: .merge must run casebook report")
    if merge.get("artifacts", {}).get("when") != "always":
        fail(f"{path}: the merged HTML report must be kept as an artifact when: always")
    if "ci/run-tests.sh" not in " ".join(ci.get("tests", {}).get("script", [])):
        fail(f"{path}: a job 'tests' must run ci/run-tests.sh (casebook's own tests)")
    for name in ("suite:clang", "suite:gcc", "merge:clang", "merge:gcc"):
        if name not in ci:
            fail(f"{path}: missing job {name}")


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    check_github(os.path.join(argv[1], "github-actions.yml"))
    check_gitlab(os.path.join(argv[1], "gitlab-ci.yml"))
    print("CI templates: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
