#!/usr/bin/env python3
"""Validates JSON files against a JSON Schema, in the draft the schema declares.

usage: validate_schema.py SCHEMA FILE.json [FILE.json ...]
Used for results.json (casebook's own schema, draft 2020-12) and for SARIF (the SARIF 2.1.0
schema, draft 4, from the pinned npm package in reports/). Exits 0 when every file is valid,
1 with each violation's path otherwise, 2 when the schema itself is missing.
"""
import json
import os
import sys

import jsonschema


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    if not os.path.exists(argv[1]):
        print(f"schema {argv[1]} not found: run ci/setup.sh (it installs reports/node_modules "
              f"with npm ci)", file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
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
