#!/usr/bin/env python3
"""Writes a casebook label file for a corpus that labels its programs by file name.

usage: labels_from_names.py CORPUS_DIR [--positive-suffix -yes] [--negative-suffix -no]
                            [--out FILE]

DataRaceBench and corpora in its style need no label file of their own: a program's file name
ends `-yes` (it has a data race) or `-no` (it has none), and a comment names each race pair as
`expr@LINE:COL:R vs. expr@LINE:COL:W` ("Data race pair: ..." on one line, or "Data race pairs:"
followed by one pair a line). This script reads CORPUS_DIR (recursively) and writes the label
file `casebook run --programs CORPUS_DIR --labels FILE` takes (docs/programs.md): one line per
C or C++ file with a main() whose name ends in a suffix, named relative to CORPUS_DIR, with
its race pairs. Programs whose names end in neither are listed on stderr and left out (casebook then stops,
naming them, unless they declare their own expectations). Exit status: 0, or 2 for a folder
that does not exist or holds no labelled program.
"""
import argparse
import os
import re
import sys

SOURCES = (".c", ".cc", ".cpp", ".cxx")
ACCESS = r"[^\s]+@\d+:\d+:[RW]"
PAIR = re.compile(rf"({ACCESS})\s+vs\.?\s+({ACCESS})")
MAIN = re.compile(r"\bmain\s*\(")
# Comments, string and character literals, so that a main( in any of them is no program.
NOT_CODE = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)


def defines_main(text):
    """Whether the code (comments and literals aside) has a main(, as casebook decides."""
    return MAIN.search(NOT_CODE.sub(" ", text)) is not None


def race_pairs(text):
    """Every race pair the text names, in order, as 'a vs. b' strings."""
    return [f"{a} vs. {b}" for a, b in PAIR.findall(text)]


def label_of(stem, positive_suffix, negative_suffix):
    if stem.endswith(positive_suffix):
        return "positive"
    if stem.endswith(negative_suffix):
        return "negative"
    return None


def label_lines(corpus, positive_suffix="-yes", negative_suffix="-no"):
    """(lines, unlabelled): the label file's lines, and the files that end in neither suffix."""
    lines, unlabelled = [], []
    for folder, dirs, files in os.walk(corpus):
        dirs.sort()
        for name in sorted(files):
            stem, ext = os.path.splitext(name)
            if ext not in SOURCES:
                continue
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, corpus)
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            if not defines_main(text):
                continue  # a helper file, not a program (casebook passes it over too)
            label = label_of(stem, positive_suffix, negative_suffix)
            if label is None:
                unlabelled.append(relative)
                continue
            line = f"{relative}  {label}"
            pairs = race_pairs(text) if label == "positive" else []
            if pairs:
                line += "  " + "  ".join(pairs)
            lines.append(line)
    return lines, unlabelled


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--positive-suffix", default="-yes")
    ap.add_argument("--negative-suffix", default="-no")
    ap.add_argument("--out", help="write here instead of stdout (never over an existing file)")
    args = ap.parse_args(argv[1:])
    if not os.path.isdir(args.corpus):
        print(f"labels_from_names.py: {args.corpus} is not a folder", file=sys.stderr)
        return 2
    lines, unlabelled = label_lines(args.corpus, args.positive_suffix, args.negative_suffix)
    for name in unlabelled:
        print(f"labels_from_names.py: {name}: its name ends in neither "
              f"{args.positive_suffix} nor {args.negative_suffix}; left out", file=sys.stderr)
    if not lines:
        print(f"labels_from_names.py: no C or C++ file in {args.corpus} has a name ending in "
              f"{args.positive_suffix} or {args.negative_suffix}", file=sys.stderr)
        return 2
    text = (f"# Labels of {os.path.basename(os.path.normpath(args.corpus))} from its file names "
            f"({args.positive_suffix}: positive, {args.negative_suffix}: negative) and the race "
            "pairs its comments name; written by tools/labels_from_names.py.\n" +
            "\n".join(lines) + "\n")
    if args.out:
        if os.path.exists(args.out):
            print(f"labels_from_names.py: {args.out} exists; not overwriting it", file=sys.stderr)
            return 2
        with open(args.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
