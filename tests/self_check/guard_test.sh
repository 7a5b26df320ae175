#!/usr/bin/env bash
# guard_test.sh FIXTURE - the single-threaded guard (cmake/self_check.cmake) leaves a marked
# program that keeps to one thread alone, and stops one that starts a thread, naming the mark.
set -uo pipefail
fixture="$1"
fail() { echo "guard_test.sh: $*" >&2; exit 1; }

out=$("$fixture" 2>&1) || fail "the fixture on one thread exited $? (want 0): $out"

out=$("$fixture" thread 2>&1)
status=$?
((status != 0)) || fail "the fixture started a thread and exited 0: the guard did not fire"
[[ "$out" == *"single_threaded_guard_fixture started a thread"* ]] ||
  fail "the guard's message does not name the program: $out"
[[ "$out" == *"casebook_single_threaded()"* ]] || fail "the guard's message does not name the mark: $out"
[[ "$out" != *"the thread ran"* ]] || fail "the thread ran before the guard stopped it: $out"
echo "guard_test.sh: the guard stopped the thread (exit $status) and named the mark"
