#!/usr/bin/env bash
# reuse_cases_test.sh SOURCE_DIR BUILD_DIR WORK_DIR - CASEBOOK_REUSE_CASES_FROM (the self-check
# builds' reuse of the main build's case binaries): configuring with a folder that holds no
# case binaries stops with a message naming what is missing and what to do; configuring with
# the built BUILD_DIR and building one catalog target gives a hard link to BUILD_DIR's binary
# (same inode), not a copy and not a symbolic link, which would change the folder the binary
# finds itself in.
set -euo pipefail
src="$1" built="$2" work="$3"
rm -rf "$work"
mkdir -p "$work/empty"

if cmake -S "$src" -B "$work/refused" -G Ninja -DCASEBOOK_OTHER_COMPILER_TSAN=OFF \
     "-DCASEBOOK_REUSE_CASES_FROM=$work/empty" >"$work/refused.log" 2>&1; then
  echo "FAIL: configuring with CASEBOOK_REUSE_CASES_FROM=$work/empty succeeded" >&2
  exit 1
fi
for text in "$work/empty" "bin/casebook-cases-plain" "build that folder first"; do
  if ! tr -s ' \n' ' ' <"$work/refused.log" | grep -qF "$text"; then
    echo "FAIL: the refusal does not say '$text':" >&2
    cat "$work/refused.log" >&2
    exit 1
  fi
done

cmake -S "$src" -B "$work/reusing" -G Ninja -DCASEBOOK_OTHER_COMPILER_TSAN=OFF \
  "-DCASEBOOK_REUSE_CASES_FROM=$built" >"$work/reusing.log" 2>&1 ||
  { cat "$work/reusing.log" >&2; echo "FAIL: configuring with the built $built" >&2; exit 1; }
cmake --build "$work/reusing" --target casebook-cases-plain >>"$work/reusing.log" 2>&1 ||
  { cat "$work/reusing.log" >&2; echo "FAIL: building casebook-cases-plain" >&2; exit 1; }
linked="$work/reusing/bin/casebook-cases-plain"
if [[ -L "$linked" ]] || [[ "$(stat -c %i "$linked")" != "$(stat -c %i "$built/bin/casebook-cases-plain")" ]]; then
  echo "FAIL: $linked is not a hard link to $built/bin/casebook-cases-plain" >&2
  ls -li "$linked" "$built/bin/casebook-cases-plain" >&2
  exit 1
fi
echo "reuse_cases_test: ok"
