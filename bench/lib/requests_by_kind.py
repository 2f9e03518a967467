"""Prints the requests a command made, by kind (the replaying proxy's
`/__bench/kinds`), each per resource it reads: S3 calls per bucket, Lambda
calls per function, IAM calls per role, counted in the document the
command read or wrote.

Usage: requests_by_kind.py DOCUMENT < kinds
"""
import json
import sys

doc = json.load(open(sys.argv[1]))
buckets = len(doc.get("buckets", []))
live = doc.get("live") or {}
functions = len(live.get("functions", [])) or len(doc.get("functions", []))
roles = len(live.get("roles", [])) or len({f.get("role") for f in doc.get("functions", []) if f.get("role")})
print(f"  requests by kind ({buckets} buckets, {functions} functions, {roles} roles read):")
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    n, kind = line.split(" ", 1)
    n = int(n)
    if " s3 /*" in kind:
        per = f"{n / max(buckets, 1):.2f} per bucket"
    elif " lambda " in kind:
        per = f"{n / max(functions, 1):.2f} per function"
    elif "Action=" in kind and "Role" in kind or "GetPolicy" in kind:
        per = f"{n / max(roles, 1):.2f} per role"
    else:
        per = ""
    print(f"    {n:6d}  {kind:45s} {per}")
