#!/usr/bin/env bash
# ci/run-suite.sh - the main job: set up, build, run the whole default suite, write reports.
#
# Writes reports/out/results.json and reports/out/junit.xml. The last line is
# "N passed, N failed, N skipped"; the exit code is casebook's own (0 only when every
# expectation holds, 1 expectation failed, 2 usage error, 3 infrastructure error).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source ci/setup.sh

set +e
"$BUILD_DIR/bin/casebook" run --out "$ROOT/reports/out" "$@"
status=$?
set -e
exit $status
