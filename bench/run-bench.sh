#!/bin/bash
# run-bench.sh - run casebook's benchmarks and summarise them.
#
#   bench/run-bench.sh [--short|--full|--tiny] [--bin DIR] OUTDIR
#
#   --short  (default) the CI pass, about 2 minutes on 2 cores: the short sizes, each run
#            timed for at least 0.05 s, no repetitions.
#   --full   the issue's sizes (and the short ones), 0.5 s minimum, 3 repetitions (medians).
#   --tiny   the tests' pass: tiny sizes, a few seconds; its figures mean nothing.
#   --bin    where casebook-bench* are (default: $CASEBOOK_BUILD_DIR/bin, else build/bin).
#
# Writes into OUTDIR: bench-plain.json, bench-tsan.json, bench-asan.json (Google Benchmark
# JSON of each executable) and their .log; bench-model.json from casebook-bench-model (the
# model scheduler's steps/s and switch cost) when it is built; bench-python.json from bench/python/reference.py
# when python3 is present; bench-harness.json from bench/harness_overhead.py (the runner's cost
# per trial) when casebook is built; bench.json (all of them in one file, each run tagged with its
# casebook_configuration); bench-summary.json and bench-summary.md (bench/summarise.py).
#
# Exit status: 0 all ran and every self-check passed; 1 a self-check failed (a wrong answer);
# 2 usage error or the executables are not built; 3 an executable crashed or could not run.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
mode=short
bin="${CASEBOOK_BUILD_DIR:-$root/build}/bin"
out=""

usage() {
  sed -n '3,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --short) mode=short ;;
    --full) mode=full ;;
    --tiny) mode=tiny ;;
    --bin) shift; [ $# -gt 0 ] || usage; bin="$1" ;;
    -h|--help) usage ;;
    -*) echo "run-bench.sh: unknown option $1" >&2; usage ;;
    *) [ -z "$out" ] || usage; out="$1" ;;
  esac
  shift
done
[ -n "$out" ] || usage

case "$mode" in
  tiny) scale=tiny; gbench=(--benchmark_min_time=0.001); py_reps=1; overhead_trials=3 ;;
  short) scale=short; gbench=(--benchmark_min_time=0.05); py_reps=1; overhead_trials=20 ;;
  full)
    scale=full; gbench=(--benchmark_min_time=0.5 --benchmark_repetitions=3); py_reps=3
    overhead_trials=100
    ;;
esac

for config in plain tsan asan; do
  exe="$bin/casebook-bench"
  [ "$config" = plain ] || exe="$bin/casebook-bench-$config"
  if [ ! -x "$exe" ]; then
    echo "run-bench.sh: $exe is not built; run: cmake --build build --target casebook-benchmarks" >&2
    exit 2
  fi
done
mkdir -p "$out" || exit 3
out="$(cd "$out" && pwd)"
# No figure from an earlier pass may stand in for one this pass failed to produce.
rm -f "$out"/bench-{plain,tsan,asan,model,python,harness}.json "$out"/bench.json "$out"/bench-summary.*

started=$(date +%s)
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
crashed=0
notes=("Pass: \`bench/run-bench.sh --$mode\` (scale $scale, ${gbench[*]}), $(nproc) CPUs, load average before: $load_before.")

# The sanitizers' own settings: report everything, but as the runner does (exit 66 on a report).
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=0 exitcode=66}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-exitcode=66 detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1 halt_on_error=1 exitcode=66}"

inputs=()
# Runs one benchmark executable of configuration $1 into bench-$1.json; a non-zero exit (a
# sanitizer report, a failed self-check, a crash) is shown, noted and fails the pass.
run_one() {
  local config="$1" exe="$2" json="$out/bench-$1.json" status
  echo "run-bench.sh: $config: $(basename "$exe") (scale $scale) -> $json" >&2
  rm -f "$json"
  CASEBOOK_BENCH_SCALE=$scale "$exe" "${gbench[@]}" --benchmark_out="$json" \
    --benchmark_out_format=json >"$out/bench-$config.log" 2>&1
  status=$?
  if [ $status -ne 0 ]; then
    echo "run-bench.sh: $config exited with $status; the end of $out/bench-$config.log:" >&2
    tail -n 30 "$out/bench-$config.log" >&2
    notes+=("**$config: the executable exited with $status** (a sanitizer report, a failed self-check or a crash; see bench-$config.log).")
    crashed=1
  fi
  [ -s "$json" ] && inputs+=("$json")
}

for config in plain tsan asan; do
  exe="$bin/casebook-bench"
  [ "$config" = plain ] || exe="$bin/casebook-bench-$config"
  run_one "$config" "$exe"
done

# The model scheduler's own speed (harness/model/): steps/s and the cost of a switch. Its own
# configuration's build; optional like the runner overhead below (a few seconds at any scale).
model_exe="$bin/casebook-bench-model"
if [ -x "$model_exe" ]; then
  run_one model "$model_exe"
else
  notes+=("Model scheduler speed skipped: $model_exe is not built.")
fi

python=""
for candidate in /usr/bin/python3 "$(command -v python3 2>/dev/null)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then python="$candidate"; break; fi
done

if [ -z "$python" ]; then
  # No Python: no reference run and no summary (summarise.py is Python too). Keep the C++ JSON.
  reason="python3 not found: the Python reference and the summary were skipped"
  echo "run-bench.sh: $reason" >&2
  cp "$out/bench-plain.json" "$out/bench.json" 2>/dev/null
  printf '# Benchmark summary\n\nSkipped: %s. The Google Benchmark JSON is in bench-plain.json, bench-tsan.json and bench-asan.json.\n' \
    "$reason" >"$out/bench-summary.md"
  printf '{"schema_version": 1, "skipped": "%s"}\n' "$reason" >"$out/bench-summary.json"
  exit $((crashed ? 3 : 0))
fi

# The Python reference, at the same worker counts as the C++ series on this machine.
workers="$("$python" - "$out/bench-plain.json" <<'EOF' 2>/dev/null
import json, sys
print(json.load(open(sys.argv[1]))["context"]["worker_counts"])
EOF
)"
echo "run-bench.sh: python: bench/python/reference.py (workers ${workers:-1,2,3,4})" >&2
if "$python" "$here/python/reference.py" --scale "$scale" --workers "${workers:-1,2,3,4}" \
  --repetitions "$py_reps" --out "$out/bench-python.json" >"$out/bench-python.log" 2>&1; then
  :
elif [ -s "$out/bench-python.json" ]; then
  : # a failed self-check: the summary reports it
else
  notes+=("**python: the reference failed** (see bench-python.log).")
  crashed=1
fi
[ -s "$out/bench-python.json" ] && inputs+=("$out/bench-python.json")

# The harness's own speed: the runner's cost per trial over a bare spawn (the parsers' speed
# is in casebook-bench, harness/parse_*).
if [ -x "$bin/casebook" ]; then
  echo "run-bench.sh: harness: bench/harness_overhead.py ($overhead_trials trials)" >&2
  # A failed self-check still writes the JSON (the summary reports it); no JSON is a crash.
  "$python" "$here/harness_overhead.py" --bin "$bin" --trials "$overhead_trials" \
    --out "$out/bench-harness.json" >"$out/bench-harness.log" 2>&1
  if [ ! -s "$out/bench-harness.json" ]; then
    notes+=("**harness: the runner overhead measurement failed** (see bench-harness.log).")
    crashed=1
  fi
  [ -s "$out/bench-harness.json" ] && inputs+=("$out/bench-harness.json")
else
  notes+=("Runner overhead skipped: $bin/casebook is not built.")
fi

load_after="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
notes+=("Took $(($(date +%s) - started)) s; load average after: $load_after. The machine may be shared: figures are noisy.")

cd "$out" || exit 3
summary_args=()
for note in "${notes[@]}"; do summary_args+=(--note "$note"); done
"$python" "$here/summarise.py" "${inputs[@]##*/}" "${summary_args[@]}" --merged bench.json \
  --json bench-summary.json --markdown bench-summary.md
summarised=$?
echo "run-bench.sh: wrote $out/bench.json, bench-summary.json, bench-summary.md" >&2
if [ $crashed -ne 0 ]; then exit 3; fi
if [ $summarised -eq 1 ]; then exit 1; fi
if [ $summarised -ne 0 ]; then exit 3; fi
exit 0
