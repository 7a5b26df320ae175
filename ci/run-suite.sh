#!/usr/bin/env bash
# ci/run-suite.sh - the main job: set up, build, run the whole default suite, write reports.
#
# Writes reports/out/results.json, index.html (checked in headless chromium, with screenshots
# report.png and report-case.png), junit.xml, casebook.sarif, summary.md and, from the short
# benchmark pass, bench.json and bench-summary.{json,md} (charted in index.html's Benchmarks
# section). Valgrind's detectors (helgrind, drd) run each variant 50-500x slower, so they
# are not in the default set (about 2 minutes for the catalog on 2 cores, with the variants'
# small inputs, against about 70 s for everything else; docs/measured.md), and run in a
# second pass into reports/out/valgrind/, and the reports
# and the detector scorecard are rendered from both results merged (merged-results.json);
# CASEBOOK_VALGRIND=0 skips that pass. The last line is
# "N passed, N failed, N skipped"; the exit code is casebook's own (0 only when every
# expectation holds, 1 expectation failed, 2 usage error, 3 infrastructure error).
# Arguments go to `casebook run` (e.g. --filter, --repeat).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Only what the suite runs is built; ci/run-tests.sh builds the rest (CASEBOOK_TARGETS= builds
# everything here too).
CASEBOOK_TARGETS="${CASEBOOK_TARGETS-casebook-suite}"
source ci/setup.sh

OUT="$ROOT/reports/out"
set +e
"$BUILD_DIR/bin/casebook" run --out "$OUT" "$@"
status=$?
set -e
inputs=("$OUT/results.json")
rendered="$OUT/results.json"
if [[ "${CASEBOOK_VALGRIND:-1}" != 0 && -f "$OUT/results.json" && $status -le 1 ]]; then
  echo "== the Valgrind pass: helgrind and drd =="
  rm -rf "$OUT/valgrind"
  set +e
  "$BUILD_DIR/bin/casebook" run --detectors helgrind,drd --out "$OUT/valgrind" "$@"
  valgrind_status=$?
  set -e
  # The worse of the two runs decides: an infrastructure error (3) over a failed
  # expectation (1) over success.
  if ((valgrind_status > status)); then status=$valgrind_status; fi
  if [[ -f "$OUT/valgrind/results.json" ]]; then
    inputs+=("$OUT/valgrind/results.json")
    rendered="$OUT/merged-results.json"
  fi
fi
if [[ -f "$OUT/results.json" && $status -le 1 ]]; then
  # The short performance pass (bench/README.md, about 2 minutes on 2 cores), before the
  # reports so the HTML page can chart it: its Google Benchmark JSON and bench-summary.{json,md}
  # land beside results.json. A benchmark that computed a wrong answer or crashed is an
  # infrastructure error, shown here, never a quiet gap in the figures. Once per suite, not
  # once per shard (CASEBOOK_BENCH=0 skips it too; then an earlier pass's files are removed, so
  # the report cannot show them as this run's).
  if [[ " $* " == *" --shard"* || -n "${GTEST_TOTAL_SHARDS:-}" || "${CASEBOOK_BENCH:-1}" == 0 ]]; then
    echo "ci/run-suite.sh: benchmark pass skipped (sharded run, or CASEBOOK_BENCH=0)"
    rm -f "$OUT"/bench{,-plain,-tsan,-asan,-model,-python,-harness}.json "$OUT"/bench-summary.{json,md}
  elif ! "$ROOT/bench/run-bench.sh" --short --bin "$BUILD_DIR/bin" "$OUT" >"$OUT/bench.log" 2>&1; then
    cat "$OUT/bench.log" >&2
    echo "ci/run-suite.sh: the benchmark pass failed (see above)" >&2
    status=3
  fi
  bench_args=()
  if [[ -s "$OUT/bench-summary.json" ]]; then bench_args=(--bench "$OUT/bench-summary.json"); fi
  # The other formats come from the results files alone, as they would on a merge job; the
  # HTML page adds the benchmark pass. A rendering failure is an infrastructure error, never a
  # silent gap in the reports.
  report_status=0
  "$BUILD_DIR/bin/casebook" report "${inputs[@]}" "${bench_args[@]}" --out "$OUT" \
    >"$OUT/report.log" 2>&1 || report_status=$?
  if ((report_status > 1)); then
    cat "$OUT/report.log" >&2
    echo "ci/run-suite.sh: casebook report failed (see above)" >&2
    status=3
  fi
  # The page as a reader gets it: opened offline in a real browser, its self-test run.
  if ! bash "$ROOT/reports/html/tests/browser_test.sh" --casebook "$BUILD_DIR/bin/casebook" \
         --results "$rendered" --workdir "$BUILD_DIR/report-check" \
         --screenshot "$OUT/report.png" >"$OUT/browser.log" 2>&1; then
    cat "$OUT/browser.log" >&2
    echo "ci/run-suite.sh: the HTML report failed its browser check (see above)" >&2
    status=3
  fi
  if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then cat "$OUT/summary.md" >>"$GITHUB_STEP_SUMMARY"; fi
  echo "Reports: $OUT/{index.html,results.json,junit.xml,casebook.sarif,summary.md,report.png,bench.json,bench-summary.md}"
  # The report's own closing line, from the same results: the summary stays the last line.
  tail -n 1 "$OUT/report.log"
fi
exit $status
