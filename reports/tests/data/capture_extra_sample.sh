#!/usr/bin/env bash
# capture_extra_sample.sh [BUILD_DIR] - rerecords extra_case_results.json, the report writers'
# sample of cases from outside the catalog: a real run of the e2e tests' extra-cases catalog
# (examples/request_ids and tests/e2e/fixtures/extra_cases/crossed_locks, brought in through
# CASEBOOK_EXTRA_CASES; built by the e2e-example-cases-* targets), normalised by
# normalise_results.py. Review the diff of the sample and of the golden files
# (CASEBOOK_UPDATE_GOLDEN=1 build/bin/reports_test) before committing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
build="${1:-$root/build}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
(cd "$root" && "$build/bin/casebook" run --seed 1 -j 2 --out "$out" \
  --bin-dir "$build/e2e-examples/bin" --filter 'crossed_locks/broken,request_ids/broken' \
  --detectors tsan,model) || true
build="$(cd "$build" && pwd)"
/usr/bin/python3 "$here/normalise_results.py" "$out/results.json" "$here/extra_case_results.json" \
  "$root" "$build"
echo "wrote $here/extra_case_results.json"
