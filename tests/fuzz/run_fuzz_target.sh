#!/usr/bin/env bash
# run_fuzz_target.sh TARGET CORPUS SECONDS SEEDS REGRESSIONS - one ctest run of a fuzz target:
# first every input of REGRESSIONS (crashes found before, each must now pass), then SECONDS of
# fuzzing into a fresh CORPUS folder, starting from the SEEDS folder (the parser tests' real
# outputs). Exit 0 only when neither found a crash; libFuzzer's own output says which input.
set -euo pipefail
target=$1 corpus=$2 seconds=$3 seeds=$4 regressions=$5
if [[ -d "$regressions" ]] && compgen -G "$regressions/*" >/dev/null; then
  echo "run_fuzz_target.sh: the regression inputs of $regressions"
  "$target" "$regressions"/*
fi
if [[ ! -d "$seeds" ]] || ! compgen -G "$seeds/*" >/dev/null; then
  echo "run_fuzz_target.sh: no seeds in $seeds: the parser tests (casebook_parse_tests) write" \
       "them as they run; run them first (ctest -L unit -R Real)" >&2
  exit 1
fi
rm -rf "$corpus"
mkdir -p "$corpus"
# -seed fixes the mutations; -max_len keeps inputs about the size of a report.
exec "$target" -seed=1 -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$corpus/../$(basename "$corpus")-" "$corpus" "$seeds"
