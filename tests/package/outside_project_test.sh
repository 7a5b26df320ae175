#!/usr/bin/env bash
# outside_project_test.sh BUILD_DIR CXX WORK_DIR - installs this build of casebook into a fresh
# prefix (cmake --install), then configures, builds and tests tests/package/outside_project, a
# project outside the tree that keeps its own case pair, against it, as docs/package.md tells a
# team to (and once more staged under DESTDIR). Checks that the pair is built and graded (its own ctest test runs `casebook run`),
# that results name the case's files relative to its folder, that the installed compile
# scripts name the installed headers, and that a bad casebook_add_cases() call or a project
# on another compiler is refused at configure time with a message saying what to do.
set -euo pipefail
build="$1" cxx="$2" work="$3"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rm -rf "$work"
mkdir -p "$work"
prefix="$work/prefix"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; fail "cmake --install $build"; }
[[ -f "$prefix/lib/cmake/casebook/casebookConfig.cmake" ]] || fail "no casebookConfig.cmake installed"
[[ -f "$prefix/include/casebook/case.hpp" ]] || fail "no casebook/case.hpp installed"
grep -q "$prefix/include" "$prefix/bin/casebook-thread-safety" ||
  fail "the installed casebook-thread-safety does not name $prefix/include"
# A staged install (a packager's DESTDIR): every file under the stage, the scripts naming the
# final prefix, nothing written to the final prefix itself.
final="/opt/casebook-package-test-$$"
DESTDIR="$work/stage" cmake --install "$build" --prefix "$final" >"$work/stage.log" 2>&1 ||
  { cat "$work/stage.log" >&2; fail "cmake --install with DESTDIR"; }
[[ ! -e "$final" ]] || fail "a DESTDIR install wrote to $final"
grep -q "$final/include" "$work/stage$final/bin/casebook-compile-probe" ||
  fail "the staged casebook-compile-probe is missing or does not name $final/include"
rm -rf "$work/stage"

# The outside project, copied so that nothing of it lies inside casebook's tree.
cp -r "$here/outside_project" "$work/project"
configure() {  # configure BUILD_SUBDIR ARGS...
  local dir="$1"
  shift
  cmake -S "$work/project" -B "$work/$dir" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" "$@" \
    >"$work/$dir.log" 2>&1
}
configure build "-DCMAKE_CXX_COMPILER=$cxx" || { cat "$work/build.log" >&2; fail "configuring the outside project"; }
cmake --build "$work/build" >"$work/build-step.log" 2>&1 ||
  { tail -40 "$work/build-step.log" >&2; fail "building the outside project's cases"; }
for config in plain tsan asan noise model; do
  [[ -x "$work/build/ledger_cases/casebook-cases-$config" ]] || fail "no casebook-cases-$config built"
done

ctest --test-dir "$work/build" --output-on-failure >"$work/ctest.log" 2>&1 ||
  { cat "$work/ctest.log" >&2; fail "the outside project's ctest test ledger_cases"; }
results="$work/build/ledger_cases/results/results.json"
python3 - "$results" <<'PY' || fail "results.json of the outside project's run"
import json, sys
r = json.load(open(sys.argv[1]))
got = {(v["case"], v["variant"], v["detector"]): v for v in r["verdicts"]}
want = {("ledger_total", "broken", "tsan"): "detected",
        ("ledger_total", "broken", "model"): "detected",
        ("ledger_total", "fixed", "tsan"): "clean",
        ("ledger_total", "fixed", "model"): "clean"}
for key, verdict in want.items():
    v = got.get(key)
    if v is None or v["verdict"] != verdict:
        sys.exit(f"{key}: want {verdict}, got {v and v['verdict']}")
files = {v.get("file") for v in r["verdicts"] if v["case"] == "ledger_total"}
if not files <= {"ledger_total/broken.cpp", "ledger_total/fixed.cpp"}:
    sys.exit(f"files not named relative to the cases folder: {files}")
if {v["case"] for v in r["verdicts"]} != {"ledger_total"}:
    sys.exit("the run graded something besides the project's own case")
PY
"$prefix/bin/casebook" list --bin-dir "$work/build/ledger_cases" | grep -q "ledger_total" ||
  fail "the installed casebook does not list the outside project's case"

# Refusals, at configure time.
expect_refusal() {  # expect_refusal WHAT TEXT -- CONFIGURE_ARGS...
  local what="$1" text="$2"
  shift 3
  if configure refused "$@"; then fail "$what: configuring succeeded"; fi
  tr -s ' \n' ' ' <"$work/refused.log" | grep -qF "$text" ||
    { cat "$work/refused.log" >&2; fail "$what: the message does not say '$text'"; }
  rm -rf "$work/refused"
}
sed -i 's|FOLDERS cases|FOLDERS cases no_such_folder|' "$work/project/CMakeLists.txt"
expect_refusal "a missing folder" "no_such_folder', which is not a folder" -- "-DCMAKE_CXX_COMPILER=$cxx"
sed -i 's|FOLDERS cases no_such_folder|FOLDERS cases|' "$work/project/CMakeLists.txt"
case "$cxx" in
  *clang*) other=g++-12 ;;
  *) other=clang++-14 ;;
esac
if command -v "$other" >/dev/null; then
  expect_refusal "another compiler" "set CMAKE_CXX_COMPILER to $cxx" -- "-DCMAKE_CXX_COMPILER=$other"
fi
echo "outside_project_test: ok"
