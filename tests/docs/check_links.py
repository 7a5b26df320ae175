#!/usr/bin/env python3
"""Checks that every relative link in the project's Markdown files resolves.

usage: check_links.py [ROOT] [--exclude DIR]...

Scans every *.md under ROOT (default: the current folder): the files git tracks or would track
when ROOT is in a git work tree, else every file found by walking it, leaving out node_modules/,
build/, build-*/ and .git/ folders, tests/docs/fixtures/ (the deliberately broken fixture of this
checker's own test) and every --exclude DIR (relative to ROOT). For each Markdown link or image,
inline `[text](target)` or a reference definition `[ref]: target`, whose target is not an
http(s), ftp or mailto URL: the file or folder must exist relative to the Markdown file (or to
ROOT for a target starting with '/') and stay inside ROOT; a `#fragment` pointing into a .md
file, or into the same file (`#fragment` alone), must name a heading there by GitHub's slug
rules (lowercase; punctuation other than '-' and '_' dropped; each space a '-'; a repeated
heading gets -1, -2, ...) or an HTML anchor (`<a name="x">`, `id="x"`). Links inside fenced
code blocks and inline code are not links and are skipped.

Prints every broken link as `file:line: broken link 'target': why` and exits 1 if there is any;
else prints one line with the counts and exits 0. Exits 2 on a usage error. Standard library only.
"""
import os
import re
import subprocess
import sys
import urllib.parse

DEFAULT_EXCLUDES = ["tests/docs/fixtures"]
SKIPPED_DIR_NAMES = {"node_modules", ".git"}
URL_SCHEMES = ("http://", "https://", "ftp://", "mailto:")

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
HTML_ANCHOR = re.compile(r"""<a\s[^>]*\bname\s*=\s*["']([^"']+)["']|\bid\s*=\s*["']([^"']+)["']""")
CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)
# `](target)` or `](target "title")`; the `[text` before it may span lines or hold brackets.
INLINE_LINK = re.compile(r"\]\(\s*(<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)"
                         r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
REFERENCE_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)", re.MULTILINE)


def usage(message):
    print(f"check_links.py: {message}\nusage: check_links.py [ROOT] [--exclude DIR]...",
          file=sys.stderr)
    sys.exit(2)


def skipped_dir(name):
    return name in SKIPPED_DIR_NAMES or name == "build" or name.startswith("build-")


def is_excluded(rel, excludes):
    parts = rel.split("/")
    if any(skipped_dir(p) for p in parts[:-1]):
        return True
    return any(rel == e or rel.startswith(e + "/") for e in excludes)


def markdown_files(root, excludes):
    """Paths relative to root, '/'-separated, sorted."""
    try:
        out = subprocess.run(
            ["git", "-C", root, "ls-files", "--cached", "--others", "--exclude-standard", "-z",
             "--", "*.md"], capture_output=True, check=True).stdout.decode()
        found = [p for p in out.split("\0") if p]
    except (OSError, subprocess.CalledProcessError):
        found = []
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not skipped_dir(d)]
            for name in files:
                if name.endswith(".md"):
                    found.append(os.path.relpath(os.path.join(folder, name), root)
                                 .replace(os.sep, "/"))
    return sorted({p for p in found
                   if not is_excluded(p, excludes) and os.path.isfile(os.path.join(root, p))})


def blank_out(text):
    """The text with every character but newlines replaced by a space (keeps offsets)."""
    return re.sub(r"[^\n]", " ", text)


def prose_of(lines):
    """The file's text with fenced code blocks and inline code blanked out, offsets kept."""
    kept, fence = [], None
    for line in lines:
        m = FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
            kept.append(blank_out(line))
        elif fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                    and not line.strip()[len(m.group(1)):].strip():
                fence = None
            kept.append(blank_out(line))
        else:
            kept.append(line)
    text = "".join(kept)
    # A code span may wrap onto the next line of its paragraph, never across a blank line.
    blocks = re.split(r"(\n[ \t]*\n)", text)
    return "".join(CODE_SPAN.sub(lambda m: blank_out(m.group(0)), b) for b in blocks)


def heading_text(raw):
    """What GitHub renders of a heading's inline Markdown, as plain text."""
    pieces = []
    for i, part in enumerate(re.split(r"(`+[^`]*`+)", raw)):
        if i % 2:
            pieces.append(part.strip("`"))
            continue
        part = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", part)   # links and images: their text
        part = re.sub(r"<[^>]+>", "", part)                      # inline HTML tags
        part = re.sub(r"\*+", "", part)                          # emphasis
        part = re.sub(r"(?<!\w)_+|_+(?!\w)", "", part)           # _emphasis_, not snake_case
        pieces.append(part)
    return "".join(pieces).strip()


def slug(text):
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


_anchor_cache = {}


def anchors_of(path):
    if path in _anchor_cache:
        return _anchor_cache[path]
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    anchors, seen, fence = set(), {}, None
    for line in lines:
        m = FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
            continue
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            continue
        h = ATX_HEADING.match(line)
        if h:
            base = slug(heading_text(h.group(2) or ""))
            n = seen.get(base, 0)
            seen[base] = n + 1
            anchors.add(base if n == 0 else f"{base}-{n}")
        for a in HTML_ANCHOR.finditer(line):
            anchors.add(a.group(1) or a.group(2))
    _anchor_cache[path] = anchors
    return anchors


def check_target(root, md_rel, target):
    """None when the target resolves, else why not."""
    if target.startswith("<") and target.endswith(">"):
        target = target[1:-1]
    if not target:
        return "empty target"
    if target.lower().startswith(URL_SCHEMES):
        return None
    path_part, _, fragment = target.partition("#")
    path_part = urllib.parse.unquote(path_part)
    root_abs = os.path.realpath(root)
    md_abs = os.path.join(root_abs, md_rel)
    if not path_part:
        dest = md_abs
    elif path_part.startswith("/"):
        dest = os.path.normpath(os.path.join(root_abs, path_part.lstrip("/")))
    else:
        dest = os.path.normpath(os.path.join(os.path.dirname(md_abs), path_part))
    if os.path.commonpath([root_abs, dest]) != root_abs:
        return "outside the repository"
    if not os.path.exists(dest):
        return "no such file or folder"
    if fragment and dest.endswith(".md") and os.path.isfile(dest):
        fragment = urllib.parse.unquote(fragment)
        if fragment not in anchors_of(dest):
            where = "this file" if dest == md_abs else os.path.relpath(dest, root_abs)
            return f"no heading with the slug '{fragment}' in {where}"
    return None


def main(argv):
    root, excludes, args = None, list(DEFAULT_EXCLUDES), list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--exclude":
            if not args:
                usage("--exclude needs a folder")
            excludes.append(args.pop(0).strip("/"))
        elif arg.startswith("-"):
            usage(f"unknown option '{arg}'")
        elif root is None:
            root = arg
        else:
            usage(f"one ROOT only, got '{root}' and '{arg}'")
    root = root or "."
    if not os.path.isdir(root):
        usage(f"'{root}' is not a folder")

    broken, links, files = [], 0, markdown_files(root, excludes)
    for md_rel in files:
        with open(os.path.join(root, md_rel), encoding="utf-8") as f:
            lines = f.read().splitlines(keepends=True)
        text = prose_of(lines)
        found = [(m.start(), m.group(1)) for m in INLINE_LINK.finditer(text)]
        found += [(m.start(1), m.group(1)) for m in REFERENCE_DEF.finditer(text)]
        for offset, target in sorted(found):
            links += 1
            why = check_target(root, md_rel, target.strip())
            if why:
                line = text.count("\n", 0, offset) + 1
                broken.append(f"{md_rel}:{line}: broken link '{target.strip()}': {why}")
    for b in broken:
        print(b)
    if broken:
        print(f"check_links.py: {len(broken)} broken link(s) of {links} in {len(files)} file(s)",
              file=sys.stderr)
        return 1
    print(f"check_links.py: {links} links in {len(files)} Markdown files resolve")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
