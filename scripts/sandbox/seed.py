"""Seeds the local sandbox account (moto) with what the templates and the
tour talk about, so each template can be planned and applied here: the
make-thumbnail, ingest-logs, virus-scan and resize functions with their
roles, the acme-photos and acme-uploads buckets (nothing wired yet: the
newcomer wires them), acme-logs, already
wired to ingest-logs for `AWSLogs/` … `.gz` (with its invoke permission and
read policy, so an import of it has no finding), whose audit queue entry
shows how foreign destinations look, and acme-media, routed through
EventBridge: its switch on and the rule acme-media-images
(`uploads/*.jpg` and `uploads/*.png`) invoking resize, with the rule's
permission and resize's read policy (docs/rules.md §14), and acme-inbox,
fanned out through SNS: its `incoming/` entry publishes to the topic
acme-inbox-incoming (whose policy lets S3 publish for the bucket), to
which virus-scan and make-thumbnail are subscribed, each with the topic's
permission and a read policy (docs/rules.md §15).
Usage: seed.py ENDPOINT"""
import io
import json
import sys
import urllib.request
import zipfile

import boto3

endpoint = sys.argv[1]
# Test events run the functions in moto itself: this machine has no Docker.
urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/config", method="POST",
                                              data=b'{"lambda": {"use_docker": false}}'))
kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
s3, lam, iam, sqs, events, sns = (boto3.client(s, **kw) for s in ("s3", "lambda", "iam", "sqs", "events", "sns"))
trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
code = io.BytesIO()
with zipfile.ZipFile(code, "w") as z:
    z.writestr("index.py", "def handler(event, context):\n    print(event)\n    return {'ok': True}\n")
for name in ("make-thumbnail", "ingest-logs", "virus-scan", "resize"):
    role = iam.create_role(RoleName=f"{name}-role", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="index.handler",
                        Code={"ZipFile": code.getvalue()})
s3.create_bucket(Bucket="acme-photos")
s3.create_bucket(Bucket="acme-logs")
s3.create_bucket(Bucket="acme-uploads")
queue = sqs.create_queue(QueueName="audit")["QueueUrl"]
queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
# Another team's queue: its policy lets S3 send (the sandbox, as S3,
# refuses an entry naming a queue that does not).
sqs.set_queue_attributes(QueueUrl=queue, Attributes={"Policy": json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
    "Action": "sqs:SendMessage", "Resource": queue_arn,
    "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}]})})
ingest = lam.get_function(FunctionName="ingest-logs")["Configuration"]["FunctionArn"]
lam.add_permission(FunctionName="ingest-logs", StatementId="s3-acme-logs", Action="lambda:InvokeFunction",
                   Principal="s3.amazonaws.com", SourceArn="arn:aws:s3:::acme-logs", SourceAccount="123456789012")
iam.put_role_policy(RoleName="ingest-logs-role", PolicyName="read-logs", PolicyDocument=(
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",'
    '"Resource":"arn:aws:s3:::acme-logs/*"}]}'))
s3.put_bucket_notification_configuration(Bucket="acme-logs", NotificationConfiguration={
    "LambdaFunctionConfigurations": [{"Id": "ingest", "LambdaFunctionArn": ingest, "Events": ["s3:ObjectCreated:*"],
                                      "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "AWSLogs/"},
                                                                         {"Name": "suffix", "Value": ".gz"}]}}}],
    "QueueConfigurations": [{"Id": "audit-deletes", "QueueArn": queue_arn, "Events": ["s3:ObjectRemoved:*"]}],
})
# EventBridge: acme-media sends its events to the default bus, where one
# rule matches two wildcards and invokes resize.
s3.create_bucket(Bucket="acme-media")
s3.put_bucket_notification_configuration(Bucket="acme-media", NotificationConfiguration={"EventBridgeConfiguration": {}})
rule = events.put_rule(Name="acme-media-images", EventPattern=(
    '{"source":["aws.s3"],"detail-type":["Object Created"],"detail":{"bucket":{"name":["acme-media"]},'
    '"object":{"key":[{"wildcard":"uploads/*.jpg"},{"wildcard":"uploads/*.png"}]}}}'))["RuleArn"]
resize = lam.get_function(FunctionName="resize")["Configuration"]["FunctionArn"]
lam.add_permission(FunctionName="resize", StatementId="bucketwire-rule-acme-media-images",
                   Action="lambda:InvokeFunction", Principal="events.amazonaws.com", SourceArn=rule)
events.put_targets(Rule="acme-media-images", Targets=[{"Id": "bucketwire-resize", "Arn": resize}])
iam.put_role_policy(RoleName="resize-role", PolicyName="read-media", PolicyDocument=(
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",'
    '"Resource":"arn:aws:s3:::acme-media/uploads/*"}]}'))
# SNS: acme-inbox's new uploads fan out to two functions through a topic.
s3.create_bucket(Bucket="acme-inbox")
topic = sns.create_topic(Name="acme-inbox-incoming")["TopicArn"]
policy = sns.get_topic_attributes(TopicArn=topic)["Attributes"]["Policy"]
policy = json.loads(policy)
policy["Version"] = "2012-10-17"
policy["Statement"].append({
    "Sid": "bucketwire-s3-publish", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
    "Action": "SNS:Publish", "Resource": topic,
    "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::acme-inbox"},
                  "StringEquals": {"aws:SourceAccount": "123456789012"}}})
sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=json.dumps(policy))
for name in ("virus-scan", "make-thumbnail"):
    arn = lam.get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    lam.add_permission(FunctionName=name, StatementId="bucketwire-sns-acme-inbox-incoming",
                       Action="lambda:InvokeFunction", Principal="sns.amazonaws.com", SourceArn=topic)
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=arn)
    iam.put_role_policy(RoleName=f"{name}-role", PolicyName="read-inbox", PolicyDocument=(
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",'
        '"Resource":"arn:aws:s3:::acme-inbox/incoming/*"}]}'))
s3.put_bucket_notification_configuration(Bucket="acme-inbox", NotificationConfiguration={
    "TopicConfigurations": [{"Id": "incoming", "TopicArn": topic, "Events": ["s3:ObjectCreated:*"],
                             "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "incoming/"}]}}}],
})
# SQS: acme-clicks's clicks buffer through a queue ingest-logs polls.
s3.create_bucket(Bucket="acme-clicks")
dlq = sqs.create_queue(QueueName="acme-clicks-dlq")["QueueUrl"]
dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
buffer = sqs.create_queue(QueueName="acme-clicks-buffer")["QueueUrl"]
buffer_arn = sqs.get_queue_attributes(QueueUrl=buffer, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
sqs.set_queue_attributes(QueueUrl=buffer, Attributes={
    "VisibilityTimeout": "180",
    "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5}),
    "Policy": json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "bucketwire-s3-send", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "SQS:SendMessage", "Resource": buffer_arn,
        "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::acme-clicks"},
                      "StringEquals": {"aws:SourceAccount": "123456789012"}}}]}),
})
iam.put_role_policy(RoleName="ingest-logs-role", PolicyName="consume-clicks", PolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], "Resource": buffer_arn},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-clicks/clicks/*"}]}))
lam.create_event_source_mapping(EventSourceArn=buffer_arn, FunctionName="ingest-logs", BatchSize=100,
                                MaximumBatchingWindowInSeconds=5, FunctionResponseTypes=["ReportBatchItemFailures"],
                                ScalingConfig={"MaximumConcurrency": 10})
s3.put_bucket_notification_configuration(Bucket="acme-clicks", NotificationConfiguration={
    "QueueConfigurations": [{"Id": "clicks", "QueueArn": buffer_arn, "Events": ["s3:ObjectCreated:*"],
                             "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "clicks/"}]}}}],
})
print("seeded", endpoint)
