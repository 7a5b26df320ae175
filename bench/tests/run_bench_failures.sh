#!/bin/bash
# run_bench_failures.sh - bench/run-bench.sh must fail loudly, never quietly, when a benchmark
# computed a wrong answer (exit 1, the failed self-check named on stderr) or an executable
# crashed (exit 3, the end of its log on stderr). ci/run-suite.sh turns both into status 3.
#
#   run_bench_failures.sh WORKDIR
#
# The benchmark executables are stand-ins (shell scripts that write Google Benchmark JSON, in
# the Debian build's shape: warning line first, a NaN token): a real wrong answer cannot be
# provoked on demand. The Python reference runs for real, at the tiny scale.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="${1:?usage: run_bench_failures.sh WORKDIR}"
rm -rf "$work" && mkdir -p "$work/bin" || exit 2

# fake CONFIG BEHAVIOUR: a stand-in casebook-bench[-CONFIG] that writes one run, failed or
# not, or crashes after saying something (BEHAVIOUR: ok, wrong, crash).
fake() {
  local name=casebook-bench
  [ "$1" = plain ] || name="casebook-bench-$1"
  cat >"$work/bin/$name" <<EOF
#!/bin/bash
for a in "\$@"; do case "\$a" in --benchmark_out=*) out="\${a#--benchmark_out=}" ;; esac; done
if [ "$2" = crash ]; then echo "stand-in: ThreadSanitizer: data race (pretend)"; exit 66; fi
error=""
[ "$2" = wrong ] && error=', "error_occurred": true, "error_message": "sum of primes <= 10 is 18, not 17"'
cat >"\$out" <<JSON
***WARNING*** Library was built as DEBUG. Timings may be affected.
{"context": {"casebook_configuration": "$1", "worker_counts": "1,2"},
 "benchmarks": [{"name": "primes/sequential/limit:30", "run_name": "primes/sequential/limit:30",
   "run_type": "iteration", "iterations": 1, "real_time": 1.0, "cpu_time": NaN,
   "time_unit": "ms", "workers": 1\$error}]}
JSON
EOF
  chmod +x "$work/bin/$name"
}

failures=0
# expect NAME WANTED_STATUS WANTED_TEXT: run run-bench.sh --tiny on the stand-ins.
expect() {
  local status
  "$here/../run-bench.sh" --tiny --bin "$work/bin" "$work/out-$1" >"$work/$1.log" 2>&1
  status=$?
  if [ "$status" -ne "$2" ] || ! grep -q "$3" "$work/$1.log"; then
    echo "FAIL: $1: exit $status (want $2), output should contain '$3':"
    cat "$work/$1.log"
    failures=$((failures + 1))
  else
    echo "ok: $1: exit $status, says '$3'"
  fi
}

fake plain ok && fake tsan ok && fake asan ok
expect all-good 0 "wrote"
fake plain wrong
expect wrong-answer 1 "self-check failed: plain primes/sequential/limit:30"
fake plain ok && fake tsan crash
expect crash 3 "ThreadSanitizer: data race (pretend)"
exit $((failures > 0))
