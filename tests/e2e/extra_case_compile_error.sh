#!/usr/bin/env bash
# extra_case_compile_error.sh SOURCE_DIR WORK_DIR - configures the project with a
# CASEBOOK_EXTRA_CASES folder whose broken.cpp does not compile, builds that file alone (the
# whole catalog would take minutes), and checks that the build fails and that its error names
# the case's file and the line of the mistake, so the user knows which case to fix.
set -euo pipefail
src="$1" work="$2"
rm -rf "$work"
case_dir="$work/cases/syntax_slip"
mkdir -p "$case_dir"
cat >"$case_dir/broken.cpp" <<'CPP'
#include <casebook/case.hpp>

namespace {
cb::outcome run(const cb::params& p) {
  long sum = 0
  for (long i = 0; i < p.iterations; ++i) sum += i;
  return cb::outcome::equal("sum", sum, sum);
}
}  // namespace

CASEBOOK_VARIANT({.title = "forgets a semicolon", .category = "race", .run = run});
CPP
sed -e 's/long sum = 0$/long sum = 0;/' -e 's/forgets a semicolon/has it/' \
  "$case_dir/broken.cpp" >"$case_dir/fixed.cpp"
echo "# syntax_slip" >"$case_dir/README.md"

fail() {
  echo "FAIL: $1" >&2
  [[ -f "$work/build.log" ]] && cat "$work/build.log" >&2
  exit 1
}

cmake -S "$src" -B "$work/build" -G Ninja "-DCASEBOOK_EXTRA_CASES=$case_dir" \
  >"$work/configure.log" 2>&1 || { cat "$work/configure.log" >&2; fail "configure failed"; }
# The object of the bad file in the plain catalog; ninja names it by its source path.
objects=$(ninja -C "$work/build" -t targets all |
  sed -n 's/^\([^:]*casebook-cases-plain[^:]*syntax_slip\/\(broken\|fixed\)\.cpp\.o\):.*/\1/p')
broken_object=$(grep 'broken\.cpp\.o$' <<<"$objects" || true)
fixed_object=$(grep 'fixed\.cpp\.o$' <<<"$objects" || true)
[[ -n "$broken_object" && -n "$fixed_object" ]] || fail "no build step for syntax_slip's files"

# The fixed twin compiles: the configure and the flags are sound, only the slip is wrong.
ninja -C "$work/build" "$fixed_object" >"$work/build.log" 2>&1 || fail "fixed.cpp did not compile"
if ninja -C "$work/build" "$broken_object" >"$work/build.log" 2>&1; then
  fail "a broken.cpp with a syntax error compiled"
fi
grep -qF "$case_dir/broken.cpp:5:" "$work/build.log" ||
  fail "the build error does not name $case_dir/broken.cpp and the line of the slip"
grep -q "error: expected ';'" "$work/build.log" || fail "the compiler's own message is missing"
echo "extra_case_compile_error: ok"
