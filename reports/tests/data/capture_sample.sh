#!/usr/bin/env bash
# capture_sample.sh [BUILD_DIR] - rerecords real_results.json, the report writers' test
# sample, from a real run of a few cases (a race, a hang across two processes, a compile
# probe, a starvation measurement, a property counterexample and the model checker's minimal
# failing interleaving of the race), normalised by normalise_results.py. Review the diff of the
# sample and of the golden files (CASEBOOK_UPDATE_GOLDEN=1 ctest -R Writer) before committing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
build="${1:-$root/build}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
(cd "$root" && "$build/bin/casebook" run --seed 1 -j 2 --out "$out" \
  --filter 'unlocked_counter,unpicklable_state,writer_starvation' \
  --detectors tsan,watchdog,invariant,fairness,compile,property,model) || true
# A build of another checkout (run read-only) names its own paths: they read as ours.
build="$(cd "$build" && pwd)"
build_source="$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt" 2>/dev/null || true)"
/usr/bin/python3 "$here/normalise_results.py" "$out/results.json" "$here/real_results.json" "$root" \
  "$build" "${build_source:-$root}"
echo "wrote $here/real_results.json"
