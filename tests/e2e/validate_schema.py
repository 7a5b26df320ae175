#!/usr/bin/env python3
"""Validates results.json files against casebook's published JSON Schema.

usage: validate_schema.py SCHEMA RESULTS.json [RESULTS.json ...]
Exits 0 when every file is valid, 1 with each violation's path otherwise.
"""
import json
import sys

import jsonschema


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for path in argv[2:]:
        with open(path) as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        for e in errors:
            where = "/".join(str(p) for p in e.path) or "(root)"
            print(f"{path}: {where}: {e.message}", file=sys.stderr)
        bad += len(errors)
        print(f"{path}: {'valid' if not errors else f'{len(errors)} violation(s)'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
