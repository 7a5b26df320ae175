#!/usr/bin/env python3
"""Tests check_links.py on its fixture: the good file passes alone, and the whole fixture fails
with exactly the broken links of bad.md, one line each, and exit 1.

usage: check_links_test.py CHECK_LINKS_PY FIXTURE_DIR
"""
import subprocess
import sys

EXPECTED = [
    "bad.md:3: broken link 'sub/missing.md': no such file or folder",
    "bad.md:3: broken link 'sub/target.md#no-such-heading': "
    "no heading with the slug 'no-such-heading' in sub/target.md",
    "bad.md:4: broken link '#bad_links': no heading with the slug 'bad_links' in this file",
    "bad.md:4: broken link '../../../../../etc/passwd': outside the repository",
    "bad.md:5: broken link 'sub/Target.md': no such file or folder",
    "bad.md:7: broken link 'images/none.png': no such file or folder",
    "bad.md:9: broken link 'sub/gone.md': no such file or folder",
]


def run(*args):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    checker, fixture = sys.argv[1:]
    failures = []

    good = run(checker, fixture, "--exclude", "bad.md")
    if good.returncode != 0 or good.stdout.count("\n") != 1 or "resolve" not in good.stdout:
        failures.append(f"good.md alone: exit {good.returncode}, want 0 and one line\n"
                        f"{good.stdout}{good.stderr}")

    both = run(checker, fixture)
    got = both.stdout.splitlines()
    if both.returncode != 1:
        failures.append(f"whole fixture: exit {both.returncode}, want 1\n{both.stderr}")
    if got != EXPECTED:
        failures.append("whole fixture: printed\n  " + "\n  ".join(got) +
                        "\nwant\n  " + "\n  ".join(EXPECTED))

    for f in failures:
        print(f"check_links_test.py: {f}", file=sys.stderr)
    if not failures:
        print(f"check_links_test.py: the checker found the {len(EXPECTED)} broken links "
              "of its fixture and nothing else")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
