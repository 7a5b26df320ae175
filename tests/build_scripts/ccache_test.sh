#!/usr/bin/env bash
# ccache_test.sh SOURCE_DIR WORK_DIR - cmake/ccache.cmake: with ccache installed, a build folder
# deleted and made again (as a CI job's workspace is) compiles a fixture catalog's variants,
# precompiled std headers included, from the cache with no miss; with -DCASEBOOK_CCACHE=OFF
# nothing goes through ccache. Without ccache on the machine the test is skipped (exit 77):
# casebook never needs it.
set -euo pipefail
src="$1" work="$2"
if ! command -v ccache >/dev/null; then
  echo "ccache_test: skipped, ccache is not installed (apt-get install ccache)"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work"
export CCACHE_DIR="$work/cache"
target=e2e-chance-cases-plain-objects

build() {  # build FOLDER CMAKE_ARGS...
  local dir="$1"
  shift
  cmake -S "$src" -B "$work/$dir" -G Ninja -DCASEBOOK_OTHER_COMPILER_TSAN=OFF "$@" \
    >"$work/$dir.log" 2>&1 && cmake --build "$work/$dir" --target "$target" >>"$work/$dir.log" 2>&1 ||
    { cat "$work/$dir.log" >&2; echo "FAIL: building $target in $dir" >&2; exit 1; }
}
stat_of() {  # stat_of NAME: one counter of ccache's machine-readable statistics
  ccache --print-stats | awk -v name="$1" '$1 == name { print $2 }'
}

build first
grep -q "compiling through" "$work/first.log" || { echo "FAIL: the configure did not say it uses ccache" >&2; exit 1; }
ccache -z >/dev/null
rm -rf "$work/first"
build first
hits=$(( $(stat_of direct_cache_hit) + $(stat_of preprocessed_cache_hit) ))
misses=$(stat_of cache_miss)
if (( hits == 0 || misses != 0 )); then
  echo "FAIL: the build folder made again had $hits cache hits and $misses misses" >&2
  ccache -s -v >&2
  exit 1
fi

ccache -z >/dev/null
build off -DCASEBOOK_CCACHE=OFF
used=$(( $(stat_of direct_cache_hit) + $(stat_of preprocessed_cache_hit) + $(stat_of cache_miss) ))
if (( used != 0 )); then
  echo "FAIL: with CASEBOOK_CCACHE=OFF, $used compiles still went through ccache" >&2
  exit 1
fi
echo "ccache_test: ok ($hits hits and no miss in the build folder made again)"
