"""Validates a SARIF log against the SARIF 2.1.0 JSON Schema (the schema
file @microsoft/jest-sarif ships, installed in tests/node_modules).
Usage: validate_sarif.py SCHEMA LOG   (exit 1 with the first errors)"""
import json
import sys

import jsonschema

schema_path, log_path = sys.argv[1], sys.argv[2]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
with open(log_path, encoding="utf-8") as f:
    log = json.load(f)
errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=lambda e: list(e.path))
for e in errors[:10]:
    print(f"{'/'.join(map(str, e.path))}: {e.message}", file=sys.stderr)
sys.exit(1 if errors else 0)
