"""SAM's own translator (aws-sam-translator, offline): prints the
CloudFormation a SAM template becomes, as JSON, for the tests that compare
Bucketwire's reading of SAM with SAM's. Local CodeUri paths are replaced by
an s3:// location first (the translator refuses a local path).
Usage: sam_translate.py TEMPLATE REGION ACCOUNT"""
import json
import os
import sys

import yaml
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicies:
    """The translator asks for the account's managed policies; offline,
    names stay as written (they are ARNs or AWS managed names)."""

    def load(self):
        return {}


path, region, account = sys.argv[1], sys.argv[2], sys.argv[3]
os.environ.setdefault("AWS_DEFAULT_REGION", region)
with open(path, encoding="utf-8") as f:
    template = yaml_parse(f.read())
for resource in template.get("Resources", {}).values():
    props = resource.get("Properties") or {}
    if resource.get("Type") == "AWS::Serverless::Function" and isinstance(props.get("CodeUri"), str) \
            and not props["CodeUri"].startswith("s3://"):
        props["CodeUri"] = "s3://bucketwire-tests/code.zip"
out = transform(template, {"AWS::Region": region, "AWS::AccountId": account}, NoManagedPolicies())
json.dump(out, sys.stdout, indent=1, sort_keys=True)
