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

# Every package comes from Debian's archive; nothing is fetched from anywhere else.
PACKAGES=(
  cmake ninja-build git
  clang-14 libclang-rt-14-dev llvm-14 g++-12   # compilers with TSan/ASan runtimes, symbolizer
  elfutils gdb valgrind                        # stacks of hung processes (eu-stack, else gdb);
                                               # Valgrind detectors
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev libpugixml-dev
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
  echo "ci/setup.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
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
    echo "ci/setup.sh: installing npm"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  if ! (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null); then
    echo "ci/setup.sh: 'npm ci' in $dir failed; the npm registry must be reachable" >&2
    exit 3
  fi
}

casebook_build() {
  local dir="$1" log
  shift
  if [[ ! -f "$dir/build.ninja" ]]; then
    if ! log=$(cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" 2>&1); then
      echo "$log" >&2
      echo "ci/setup.sh: configuring $dir failed (see above)" >&2
      exit 3
    fi
  fi
  # The full log goes to a file; the console gets warnings and, on failure, the errors.
  # CASEBOOK_TARGETS (words): build only these targets, for a check that needs a few.
  local targets=()
  [[ -n "${CASEBOOK_TARGETS:-}" ]] && read -r -a targets <<<"--target $CASEBOOK_TARGETS"
  if ! cmake --build "$dir" -j "$(nproc)" "${targets[@]}" >"$dir/build.log" 2>&1; then
    grep -E -A5 'error|FAILED' "$dir/build.log" | head -80 >&2 || tail -40 "$dir/build.log" >&2
    echo "ci/setup.sh: build failed; full log: $dir/build.log" >&2
    exit 3
  fi
  grep -E 'warning:' "$dir/build.log" || true
}

casebook_install_packages
casebook_install_npm_assets
# shellcheck disable=SC2086  # CASEBOOK_CMAKE_ARGS is a list of words on purpose
casebook_build "$BUILD_DIR" ${CASEBOOK_CMAKE_ARGS:-}
