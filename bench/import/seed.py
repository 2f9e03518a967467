"""Seeds moto with N buckets, each with a Lambda and an SQS notification
entry, one function and its role. Usage: seed.py ENDPOINT N"""
import io
import sys
import zipfile

import boto3

endpoint, n = sys.argv[1], int(sys.argv[2])
kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
s3, lam, iam = boto3.client("s3", **kw), boto3.client("lambda", **kw), boto3.client("iam", **kw)
role = iam.create_role(RoleName="bench-role", AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}')["Role"]["Arn"]
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("index.py", "def handler(e, c):\n    return e\n")
fn = lam.create_function(FunctionName="bench", Runtime="python3.12", Role=role, Handler="index.handler", Code={"ZipFile": buf.getvalue()})["FunctionArn"]
for i in range(n):
    name = f"bench-{i:04d}"
    s3.create_bucket(Bucket=name)
    s3.put_bucket_notification_configuration(Bucket=name, NotificationConfiguration={
        "LambdaFunctionConfigurations": [{"Id": "thumbs", "LambdaFunctionArn": fn, "Events": ["s3:ObjectCreated:*"],
            "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "uploads/"}]}}}],
        "QueueConfigurations": [{"Id": "audit", "QueueArn": "arn:aws:sqs:us-east-1:123456789012:audit", "Events": ["s3:ObjectRemoved:*"]}],
    })
