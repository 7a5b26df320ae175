#!/usr/bin/env bash
# browser_test.sh - the HTML report in a real browser: Debian's chromium, headless, offline.
#
#   browser_test.sh --casebook BIN --results RESULTS.json --workdir DIR --screenshot PNG
#                   [--chromium CMD] [--require-timeline]
#
# Renders RESULTS.json (a real run's results) with `BIN report RESULTS.json --html` (BIN is the
# casebook executable) into DIR/index.html, then:
#   1. checks the page references nothing it would fetch (no src=, <link>, url(), @import);
#   2. opens DIR/index.html#selftest from file:// with the network unreachable (a dead proxy,
#      every host name unresolvable) and reads the in-page self-test's verdict from the DOM
#      (assets/report.js: one matrix row per case, chips narrow the rows, search, sorting, a
#      stack-frame click highlights its source line and scrolls it into view, the model's
#      timelines have a column per thread and a step a click on which highlights its source
#      line, no passing verdict (detected, clean, known-false-positive) is painted in a
#      failure's colour, every command has a copy button that copies or selects it, nothing
#      fetched, no errors); --require-timeline fails the test when the page has no timeline step to click;
#   3. fails on any console message other than the self-test's own line;
#   4. saves a screenshot of the page's top (overview and matrix) to PNG, and one of the first
#      case alone (index.html#focus:<case>: verdicts, evidence) to PNG with -case before .png.
# chromium comes from Debian (ci/setup.sh installs it). Without it this test FAILS, loudly:
# a browser test that silently passes would hide exactly the breakage it exists to catch.
set -euo pipefail

casebook="" results="" workdir="" screenshot="" chromium="${CHROMIUM:-chromium}" require_timeline=0
while (($#)); do
  case "$1" in
    --casebook) casebook="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    --workdir) workdir="$2"; shift 2 ;;
    --screenshot) screenshot="$2"; shift 2 ;;
    --chromium) chromium="$2"; shift 2 ;;
    --require-timeline) require_timeline=1; shift ;;
    *) echo "browser_test.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
if [[ -z "$casebook" || -z "$results" || -z "$workdir" || -z "$screenshot" ]]; then
  echo "usage: browser_test.sh --casebook BIN --results RESULTS.json --workdir DIR --screenshot PNG [--chromium CMD]" >&2
  exit 2
fi
if ! command -v "$chromium" >/dev/null 2>&1; then
  echo "FAIL: chromium is not installed ('$chromium' not found)." >&2
  echo "      Install it with ci/setup.sh (as root), or: apt-get install chromium" >&2
  exit 1
fi

rm -rf "$workdir"
mkdir -p "$workdir" "$(dirname "$screenshot")"
workdir="$(cd "$workdir" && pwd)"
page="$workdir/index.html"
fail() { echo "FAIL: $*" >&2; exit 1; }

# Exit 1 means the results hold failed expectations: the page is still written.
"$casebook" report "$results" --html "$page" >/dev/null || (($? == 1)) ||
  fail "casebook report could not render $results"

# 1. Nothing to fetch. (Links a reader may follow, <a href>, are navigation, not loads.)
if grep -Eqi '(\b(src|srcset)[[:space:]]*=|<link\b|url\([[:space:]]*["'"'"']?(https?:)?//|@import)' "$page"; then
  grep -Eoi '.{0,60}(\b(src|srcset)[[:space:]]*=|<link\b|url\(|@import).{0,60}' "$page" | head -5 >&2
  fail "the page references something it would fetch"
fi

# Offline and isolated: a dead proxy, no name resolution, a throwaway profile, no extras.
browser() {
  timeout 120 "$chromium" --headless --disable-gpu --no-sandbox --no-first-run --no-default-browser-check \
    --user-data-dir="$workdir/profile" --proxy-server=127.0.0.1:9 --host-resolver-rules='MAP * ~NOTFOUND' \
    --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
    --disable-dev-shm-usage --hide-scrollbars --enable-logging=stderr --v=0 "$@"
}

# 2. The self-test, from file://, with its verdict in the dumped DOM.
browser --window-size=1400,1000 --virtual-time-budget=10000 --dump-dom "file://$page#selftest" \
  >"$workdir/dom.html" 2>"$workdir/console.log" || {
  tail -20 "$workdir/console.log" >&2
  fail "chromium could not load the page (log: $workdir/console.log)"
}
verdict="$(sed -n '/<pre id="selftest-result"/,/<\/pre>/p' "$workdir/dom.html")"
if [[ -z "$verdict" ]]; then
  tail -20 "$workdir/console.log" >&2
  fail "the self-test did not run (no #selftest-result in the DOM; see $workdir/dom.html)"
fi
echo "$verdict" | sed -e 's/<[^>]*>//g' -e 's/&quot;/"/g' -e 's/&amp;/\&/g' -e 's/&lt;/</g' -e 's/&gt;/>/g'
grep -q 'data-status="pass"' <<<"$verdict" || fail "the in-page self-test failed (see above)"
if ((require_timeline)) && ! grep -q 'ok    clicking timeline step' <<<"$verdict"; then
  fail "no timeline step was clicked: the page has no model interleaving linked to the source"
fi

# 3. The console: the self-test's own line is the only message allowed.
console="$(grep -E 'CONSOLE|Uncaught|Content Security Policy' "$workdir/console.log" | grep -v 'casebook-selftest:' || true)"
if [[ -n "$console" ]]; then
  echo "$console" >&2
  fail "console messages on the page (above)"
fi
grep -q 'casebook-selftest: PASS' "$workdir/console.log" ||
  echo "note: chromium did not echo console messages to stderr; relying on the in-page error capture"

# 4. Screenshots for people: the first screen, and the first case's evidence. The page was
# checked above; a screenshot is only a picture of it, and headless chromium now and then hangs
# taking one on a loaded machine (seen once, with a whole-suite run beside it): one
# more try before failing, with what chromium said kept in the log.
screenshot_of() {  # PNG URL
  local attempt
  for attempt in 1 2; do
    rm -f "$1"
    browser --window-size=1400,1800 --screenshot="$1" "$2" >/dev/null 2>>"$workdir/console.log" &&
      [[ -s "$1" ]] && return 0
    echo "note: screenshot attempt $attempt of $2 failed" >&2
  done
  return 1
}
screenshot_of "$screenshot" "file://$page" || fail "chromium could not take the screenshot"
first_case="$(grep -o '<section class="case" id="case-[^"]*"' "$page" | head -1 | sed 's/.*id="case-\([^"]*\)"/\1/')"
if [[ -n "$first_case" ]]; then
  screenshot_of "${screenshot%.png}-case.png" "file://$page#focus:$first_case" ||
    fail "chromium could not take the case screenshot"
fi
echo "PASS: report $page; screenshots $screenshot ${first_case:+${screenshot%.png}-case.png}"
