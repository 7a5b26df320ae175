#!/usr/bin/env bash
# ci/setup.sh's build progress, as a CI log shows it: a stage line with the elapsed time,
# periodic "building [done/total]" lines read from the build's own log while it runs, and
# the build's exit status passed through (a failed build must fail set-up).
#   setup_progress_test.sh SOURCE_ROOT WORK_DIR
set -euo pipefail
root="$1" work="$2"
rm -rf "$work" && mkdir -p "$work"
# shellcheck source=/dev/null
CASEBOOK_SETUP_FUNCTIONS_ONLY=1 source "$root/ci/setup.sh"

fail() { echo "setup_progress_test: $*" >&2; exit 1; }

# A stand-in for ninja: three status lines two seconds apart, then an exit status.
fake_build() {
  local i
  for i in 1 2 3; do
    echo "[$i/3] Building CXX object step$i.o"
    sleep 2
  done
  return "$1"
}

CASEBOOK_PROGRESS_EVERY=2 casebook_build_with_progress "$work/ok.log" fake_build 0 \
  >"$work/ok.out" </dev/null || fail "a build that succeeded returned $?"
grep -Eq '^ci/setup.sh \[[0-9]+:[0-9]{2}\] building \[[123]/3\]$' "$work/ok.out" ||
  fail "no periodic progress line in: $(cat "$work/ok.out")"
grep -q '^\[3/3\] Building CXX object step3.o$' "$work/ok.log" || fail "the build log lost output"

status=0
CASEBOOK_PROGRESS_EVERY=2 casebook_build_with_progress "$work/bad.log" fake_build 7 \
  >"$work/bad.out" </dev/null || status=$?
[[ $status -eq 7 ]] || fail "a build that failed with 7 returned $status"

line=$(casebook_stage "configuring x")
[[ "$line" =~ ^ci/setup.sh\ \[[0-9]+:[0-9]{2}\]\ configuring\ x$ ]] || fail "stage line: $line"
echo "setup_progress_test: ok"
