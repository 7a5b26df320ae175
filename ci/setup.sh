#!/usr/bin/env bash
# ci/setup.sh - install what casebook needs on Debian 12, then configure and build it.
#
# Sourced by run-suite.sh and run-tests.sh. Idempotent: when every package is present it
# installs nothing, and a configured build folder is only rebuilt incrementally.
#   casebook_install_packages           apt-get install whatever is missing (needs root)
#   casebook_install_npm_assets         npm ci in reports/ (pinned report and validation assets)
#   casebook_build DIR [CMAKE_ARGS...]  configure DIR once, then build it
# Environment: BUILD_DIR (default build/), CASEBOOK_CMAKE_ARGS (extra configure arguments for
# it, e.g. "-DCASEBOOK_COMPILER=gcc" with BUILD_DIR=build-gcc; the CI templates use both).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
CASEBOOK_SETUP_START=$SECONDS

# One line per set-up stage, with the time since set-up began, so a first run (a quarter of
# an hour installing and building on 2 cores) never sits on a silent console.
casebook_elapsed() {
  local t=$((SECONDS - CASEBOOK_SETUP_START))
  printf '%d:%02d' $((t / 60)) $((t % 60))
}
casebook_stage() {
  printf 'ci/setup.sh [%s] %s\n' "$(casebook_elapsed)" "$*"
}

# Every package comes from Debian's archive; nothing is fetched from anywhere else.
PACKAGES=(
  cmake ninja-build git
  clang-14 libclang-rt-14-dev llvm-14 g++-12   # compilers with TSan/ASan runtimes, symbolizer
  libomp-14-dev                                # OpenMP programs (--programs): libomp, and the
                                               # Archer tool clang's TSan needs for them
  elfutils gdb valgrind                        # stacks of hung processes (eu-stack, else gdb);
                                               # Valgrind detectors
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev libpugixml-dev
  libmd4c-dev libmd4c-html0                    # md4c parses the cases' READMEs; its CMake
                                               # package also checks md4c-html's library
  python3 python3-jsonschema                   # the results.json schema check
  yamllint                                     # the CI templates' lint test
  chromium                                     # the HTML report's headless browser test
)

casebook_install_packages() {
  local missing=() pkg
  for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  ((${#missing[@]})) || return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "ci/setup.sh: missing packages: ${missing[*]}" >&2
    echo "ci/setup.sh: run as root, or install them with apt-get, and try again" >&2
    exit 3
  fi
  casebook_stage "installing ${#missing[@]} package(s): ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  casebook_stage "installed ${#missing[@]} package(s)"
}

# The report writers' pinned npm packages (reports/package-lock.json): the SARIF schema the
# tests validate against, and any front-end assets. Reinstalled only when the lock changed.
casebook_install_npm_assets() {
  local dir="$ROOT/reports"
  if [[ -f "$dir/node_modules/.package-lock.json" &&
        "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]]; then
    return 0
  fi
  if ! command -v npm >/dev/null; then
    if [[ $(id -u) -ne 0 ]]; then
      echo "ci/setup.sh: npm is missing; run as root, or apt-get install npm, and try again" >&2
      exit 3
    fi
    casebook_stage "installing npm"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  if ! (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null); then
    echo "ci/setup.sh: 'npm ci' in $dir failed; the npm registry must be reachable" >&2
    exit 3
  fi
}

# The last ninja status ("[done/total]") a build log shows, or "" before the first.
casebook_build_progress() {
  tail -c 8192 "$1" 2>/dev/null | grep -o '^\[[0-9]*/[0-9]*\]' | tail -1 || true
}

# Runs a build into log while telling the console how far it is: on a terminal one line that
# updates every 2 s, in a CI log a line every CASEBOOK_PROGRESS_EVERY seconds (default 30).
# Returns the build's exit status.
casebook_build_with_progress() {
  local log="$1" pid status=0 waited=0 step every="${CASEBOOK_PROGRESS_EVERY:-30}"
  shift
  "$@" >"$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 2
    waited=$((waited + 2))
    step=$(casebook_build_progress "$log")
    if [[ -t 1 ]]; then
      printf '\rci/setup.sh [%s] building %s ' "$(casebook_elapsed)" "${step:-[starting]}"
    elif ((waited % every == 0)); then
      casebook_stage "building ${step:-(starting)}"
    fi
  done
  [[ -t 1 ]] && printf '\n'
  wait "$pid" || status=$?
  return "$status"
}

casebook_build() {
  local dir="$1" log
  shift
  if [[ ! -f "$dir/build.ninja" ]]; then
    casebook_stage "configuring $dir"
    if ! log=$(cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" 2>&1); then
      echo "$log" >&2
      echo "ci/setup.sh: configuring $dir failed (see above)" >&2
      exit 3
    fi
  fi
  # The full log goes to a file; the console gets progress, warnings and, on failure, the
  # errors. CASEBOOK_TARGETS (words): build only these targets (run-suite.sh builds only what
  # the suite needs, the tests' targets are run-tests.sh's).
  local targets=() what="everything"
  if [[ -n "${CASEBOOK_TARGETS:-}" ]]; then
    read -r -a targets <<<"--target $CASEBOOK_TARGETS"
    what="$CASEBOOK_TARGETS"
  fi
  casebook_stage "building $what in $dir (log: $dir/build.log)"
  if ! casebook_build_with_progress "$dir/build.log" \
         cmake --build "$dir" -j "$(nproc)" "${targets[@]}"; then
    grep -E -A5 'error|FAILED' "$dir/build.log" | head -80 >&2 || tail -40 "$dir/build.log" >&2
    echo "ci/setup.sh: build failed; full log: $dir/build.log" >&2
    exit 3
  fi
  grep -E 'warning:' "$dir/build.log" || true
  casebook_stage "built $what"
}

# CASEBOOK_SETUP_FUNCTIONS_ONLY=1: define the functions and do nothing (for tests of them).
if [[ "${CASEBOOK_SETUP_FUNCTIONS_ONLY:-0}" != 1 ]]; then
  casebook_install_packages
  casebook_install_npm_assets
  # shellcheck disable=SC2086  # CASEBOOK_CMAKE_ARGS is a list of words on purpose
  casebook_build "$BUILD_DIR" ${CASEBOOK_CMAKE_ARGS:-}
fi
