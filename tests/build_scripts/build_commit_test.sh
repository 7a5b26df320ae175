#!/usr/bin/env bash
# build_commit_test.sh SOURCE_DIR WORK_DIR - runs cmake/build_commit.cmake the way the build
# does, on a throwaway git repository, and checks the header it writes: the commit HEAD names,
# build_dirty only when a tracked file has uncommitted changes (an untracked one does not count),
# empty outside a git checkout, and the file left untouched when nothing changed (so an
# unchanged tree rebuilds nothing).
set -euo pipefail
src="$1" work="$2"
script="$src/cmake/build_commit.cmake"
rm -rf "$work"
# WORK_DIR usually lies inside the project's own checkout: keep git from finding it from there.
export GIT_CEILING_DIRECTORIES="$work"
mkdir -p "$work/repo" "$work/not-a-repo"
header="$work/build_commit.hpp"

write_header() {  # write_header SOURCE_DIR
  cmake "-DSOURCE_DIR=$1" "-DOUT=$header" -P "$script"
}
expect() {  # expect TEXT: the header holds this line
  if ! grep -qxF "$1" "$header"; then
    echo "FAIL: $header does not hold the line '$1':" >&2
    cat "$header" >&2
    exit 1
  fi
}

git -C "$work/repo" init -q
git -C "$work/repo" -c user.name=t -c user.email=t@t commit -q --allow-empty -m first
echo one >"$work/repo/tracked.txt"
git -C "$work/repo" add tracked.txt
git -C "$work/repo" -c user.name=t -c user.email=t@t commit -q -m second
head=$(git -C "$work/repo" rev-parse HEAD)

write_header "$work/repo"
expect "#define CASEBOOK_BUILD_COMMIT \"$head\""
expect "#define CASEBOOK_BUILD_DIRTY false"

# Unchanged: the header keeps its timestamp, so nothing that includes it is rebuilt.
touch -d '2001-01-01 00:00:00' "$header"
write_header "$work/repo"
if [ "$(stat -c %Y "$header")" != "$(date -d '2001-01-01 00:00:00' +%s)" ]; then
  echo "FAIL: an unchanged tree rewrote $header" >&2
  exit 1
fi

echo stray >"$work/repo/untracked.txt"
write_header "$work/repo"
expect "#define CASEBOOK_BUILD_DIRTY false"

echo two >"$work/repo/tracked.txt"
write_header "$work/repo"
expect "#define CASEBOOK_BUILD_COMMIT \"$head\""
expect "#define CASEBOOK_BUILD_DIRTY true"

write_header "$work/not-a-repo"
expect '#define CASEBOOK_BUILD_COMMIT ""'
expect "#define CASEBOOK_BUILD_DIRTY false"
echo "build_commit.cmake: commit, dirty flag, no-git case and unchanged-file case all hold"
