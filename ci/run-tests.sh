#!/usr/bin/env bash
# ci/run-tests.sh - set up and build exactly as run-suite.sh does, then run the project's
# tests with ctest (unit, parser, runner, report and end-to-end tests).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source ci/setup.sh

ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" "$@"
