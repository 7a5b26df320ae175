#!/usr/bin/env bash
# installed_suppressions_test.sh SOURCE_ROOT BUILD_DIR OUT_DIR - casebook finds its Valgrind
# suppressions in an install layout: `cmake --install` puts casebook.supp in
# <prefix>/share/casebook/valgrind/, a casebook in <prefix>/bin passes that file to a Helgrind
# trial, and without it a Valgrind run stops with exit 3 naming the missing path.
set -euo pipefail
source_root="$1"
build="$2"
out="$3"
rm -rf "$out"
mkdir -p "$out"
prefix="$out/prefix"
supp="$prefix/share/casebook/valgrind/casebook.supp"

cmake --install "$build" --prefix "$prefix" --component casebook_valgrind > "$out/install.log"
cmp "$source_root/harness/valgrind/casebook.supp" "$supp"

# The runner as installed, with the build's case binaries.
mkdir -p "$prefix/bin"
cp "$build/bin/casebook" "$prefix/bin/casebook"
cd "$source_root"
status=0
"$prefix/bin/casebook" run --detectors helgrind --filter unlocked_counter/fixed \
  --bin-dir "$build/bin" --out "$out/run" > "$out/run.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  echo "installed casebook failed ($status):" >&2
  cat "$out/run.log" >&2
  exit 1
fi
grep -q -- "--suppressions=$supp" "$out/run/results.json" || {
  echo "the trial's command does not pass $supp:" >&2
  grep -o '"command": "[^"]*"' "$out/run/results.json" >&2
  exit 1
}

# Without the file: exit 3, naming it.
rm "$supp"
status=0
"$prefix/bin/casebook" run --detectors helgrind --filter unlocked_counter/fixed \
  --bin-dir "$build/bin" --out "$out/run-missing" > "$out/missing.log" 2>&1 || status=$?
if [ "$status" -ne 3 ] || ! grep -q "Valgrind suppressions file $supp does not exist" \
  "$out/missing.log"; then
  echo "expected exit 3 naming $supp, got $status:" >&2
  cat "$out/missing.log" >&2
  exit 1
fi
echo "ok: $supp"
