#!/usr/bin/env bash
# ci/run-tests.sh - set up and build exactly as run-suite.sh does, then run the project's
# tests with ctest (unit, parser, runner, report and end-to-end tests).
#
# Then the harness's own self-check: the harness is concurrent code, so it is rebuilt with
# ThreadSanitizer (CASEBOOK_SELF_SANITIZE=thread, in build-self-tsan/) and its tests run
# again there; any race in the runner itself fails them. The model scheduler's tests also run
# under AddressSanitizer (build-self-asan/), for its fiber switches. Skip both with
# CASEBOOK_SELF_CHECK=0.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source ci/setup.sh

# No test may leave a process behind: anything still running from a build folder once ctest
# has returned is a leak of the harness (or of a test), and fails the run.
check_no_leftovers() {
  local leftovers
  leftovers=$(pgrep -af "^$1/" || true)
  if [[ -n "$leftovers" ]]; then
    echo "ci/run-tests.sh: processes left behind after the tests in $1:" >&2
    echo "$leftovers" >&2
    exit 1
  fi
}

# One test more than there are cores: many tests spend their time waiting (on a hang's timeout,
# a child process, a polled file), and at -j "$(nproc)" ctest kept the 2 cores 145% busy. On 2
# cores -j3 took the run from 149 s to 118 s, -j4 to 116 s (docs/measured.md, 2026-12-07).
CTEST_JOBS=$(($(nproc) + 1))
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$CTEST_JOBS" "$@"
check_no_leftovers "$BUILD_DIR"

if [[ "${CASEBOOK_SELF_CHECK:-1}" != 0 ]]; then
  echo "== self-check: the harness's own tests, built with ThreadSanitizer =="
  SELF_DIR="$ROOT/build-self-tsan"
  # The other compiler's TSan catalog (tsan-gcc) checks the cases, not the harness: the main
  # build's tests cover it, and leaving it out here saves a catalog build. The case binaries
  # (the catalog's and the test fixtures') are the main build's: the sanitizer is the
  # harness's, the case code is built the same either way (CASEBOOK_REUSE_CASES_FROM). Test
  # programs that never start a thread are left out (cmake/self_check.cmake).
  casebook_build "$SELF_DIR" -DCASEBOOK_SELF_SANITIZE=thread -DCASEBOOK_OTHER_COMPILER_TSAN=OFF \
    -DCASEBOOK_REUSE_CASES_FROM="$BUILD_DIR"
  # halt_on_error: a race in the harness ends the test that found it, loudly. The `script`
  # tests (the repository's scripts and documents) run no harness code: the main run had them.
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
    ctest --test-dir "$SELF_DIR" --output-on-failure -j "$CTEST_JOBS" -L 'unit|e2e' "$@"
  check_no_leftovers "$SELF_DIR"

  echo "== self-check: the model scheduler's fiber switches, built with AddressSanitizer =="
  # The model runs case code on ucontext fibers and tells ASan of every switch; a mistake there
  # shows as stack-use-after-return or a bad stack bound, so fake stacks are on. Only the model's
  # tests: the rest of the harness is checked under TSan above.
  ASAN_DIR="$ROOT/build-self-asan"
  CASEBOOK_TARGETS=casebook_model_tests casebook_build "$ASAN_DIR" -DCASEBOOK_SELF_SANITIZE=address \
    -DCASEBOOK_OTHER_COMPILER_TSAN=OFF
  ASAN_OPTIONS="detect_stack_use_after_return=1 detect_leaks=1" \
    "$ASAN_DIR/bin/casebook_model_tests" --gtest_brief=1
fi
