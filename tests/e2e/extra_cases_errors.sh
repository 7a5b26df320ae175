#!/usr/bin/env bash
# extra_cases_errors.sh SOURCE_DIR WORK_DIR - configures the project with CASEBOOK_EXTRA_CASES
# naming folders that are not cases, and checks that each configure fails with a message
# naming the folder and what is missing. Configuring stops at the check, long before any
# build, so this is quick.
set -euo pipefail
src="$1" work="$2"
rm -rf "$work"
mkdir -p "$work/no_case/only_readme" "$work/half/half_case"
echo "# x" >"$work/no_case/only_readme/README.md"
printf '// only the broken half\n' >"$work/half/half_case/broken.cpp"
echo "# x" >"$work/half/half_case/README.md"

expect_refusal() {  # expect_refusal FOLDER TEXT...
  local folder="$1" log="$work/configure.log" text
  shift
  if cmake -S "$src" -B "$work/build" -G Ninja "-DCASEBOOK_EXTRA_CASES=$folder" >"$log" 2>&1; then
    echo "FAIL: configuring with CASEBOOK_EXTRA_CASES=$folder succeeded" >&2
    exit 1
  fi
  for text in "$folder" "$@"; do
    if ! tr -s ' \n' ' ' <"$log" | grep -qF "$text"; then
      echo "FAIL: the error for $folder does not say '$text':" >&2
      cat "$log" >&2
      exit 1
    fi
  done
  rm -rf "$work/build"
}

expect_refusal "$work/no_case" "holds no case" "broken.cpp and fixed.cpp"
expect_refusal "$work/half/half_case" "has no fixed.cpp"
expect_refusal "$work/does_not_exist" "not a folder"
echo "extra_cases_errors: ok"
