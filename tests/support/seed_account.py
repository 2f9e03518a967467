"""Seeds moto with a mid-size account's shape: BUCKETS buckets in
us-east-1, eu-west-1 and ap-southeast-2 (round robin); one in six wired to Lambda
(some with two to four configurations; functions shared across buckets,
one with an alias), about one in twenty-five with an SQS entry too, and one
configuration pointing at a function that was deleted.
Usage: seed_account.py ENDPOINT [BUCKETS]   (prints the wired bucket names)"""
import io
import json
import sys
import zipfile

import boto3

endpoint = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 250
regions = ["us-east-1", "eu-west-1", "ap-southeast-2"]
account = "123456789012"
trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
code = io.BytesIO()
with zipfile.ZipFile(code, "w") as z:
    z.writestr("index.py", "def handler(event, context):\n    return {}\n")


def client(service, region):
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="test", aws_secret_access_key="test")


iam = client("iam", "us-east-1")
role = iam.create_role(RoleName="workers", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
functions = {}
for region in regions:
    lam = client("lambda", region)
    sqs = client("sqs", region)
    sqs.create_queue(QueueName="audit")
    functions[region] = []
    for i in range(4):
        name = f"worker-{region}-{i}"
        arn = lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="index.handler",
                                  Code={"ZipFile": code.getvalue()})["FunctionArn"]
        functions[region].append(arn)
    version = lam.publish_version(FunctionName=f"worker-{region}-0")["Version"]
    lam.create_alias(FunctionName=f"worker-{region}-0", Name="live", FunctionVersion=version)

wired = []
for b in range(count):
    region = regions[b % 3]
    name = f"acct-{b:04d}-{region}"
    s3 = client("s3", region)
    if region == "us-east-1":
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    # Three in a row of every eighteen: one wired bucket per region.
    if b % 18 >= 3:
        continue
    wired.append(name)
    fns = functions[region]
    n = b // 18
    configs = []
    for k in range(1 + n % 3):
        arn = fns[(n + k) % len(fns)]
        if k == 0 and n % 5 == 0:
            arn = f"{fns[0]}:live"
        configs.append({"Id": f"cfg-{k}", "LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"],
                        "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": f"in{k}/"}]}}})
    if b == 19:
        configs.append({"Id": "gone", "LambdaFunctionArn": f"arn:aws:lambda:{region}:{account}:function:deleted",
                        "Events": ["s3:ObjectRemoved:*"]})
    notification = {"LambdaFunctionConfigurations": configs}
    if n % 4 == 0:
        notification["QueueConfigurations"] = [{"Id": "audit", "QueueArn": f"arn:aws:sqs:{region}:{account}:audit",
                                                "Events": ["s3:ObjectRemoved:Delete"]}]
    s3.put_bucket_notification_configuration(Bucket=name, NotificationConfiguration=notification)
print(json.dumps(wired))
