"""The same reads as `bucketwire import`, one after another, with boto3:
what a straightforward script does. Usage: boto3_import.py ENDPOINT"""
import sys

import boto3
import botocore.exceptions

kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
s3, lam, iam, sts = (boto3.client(s, **kw) for s in ("s3", "lambda", "iam", "sts"))
functions = set()
for b in s3.list_buckets()["Buckets"]:
    s3.get_bucket_location(Bucket=b["Name"])
    cfg = s3.get_bucket_notification_configuration(Bucket=b["Name"])
    for c in cfg.get("LambdaFunctionConfigurations", []):
        functions.add(c["LambdaFunctionArn"])
roles = set()
for arn in functions:
    roles.add(lam.get_function(FunctionName=arn)["Configuration"]["Role"])
    lam.list_aliases(FunctionName=arn.split(":")[-1])
    lam.list_versions_by_function(FunctionName=arn.split(":")[-1])
    try:
        lam.get_policy(FunctionName=arn)
    except botocore.exceptions.ClientError:
        pass
for role in roles:
    name = role.split("/")[-1]
    for p in iam.list_role_policies(RoleName=name)["PolicyNames"]:
        iam.get_role_policy(RoleName=name, PolicyName=p)
    iam.list_attached_role_policies(RoleName=name)
sts.get_caller_identity()
