"""Writes a CDK-synth-sized CloudFormation template (JSON, as `cdk synth`
writes it) for bench/lint.sh: BUCKETS buckets, each notifying one of the
functions (one function per ten buckets) with its permission and
DependsOn, a role per function reading its buckets' objects by ARN text,
and a few SQS queues with policies and mappings: about 2.3 resources per
bucket, so 870 buckets make about 2,000 resources.
Usage: generate_template.py BUCKETS [SEED]"""
import json
import sys

buckets = int(sys.argv[1])
seed = sys.argv[2] if len(sys.argv) > 2 else "0"
functions = max(1, buckets // 10)
res = {}
for f in range(functions):
    res[f"Fn{f}Role{seed}"] = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "ManagedPolicyArns": [{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]]}],
            "Policies": [{"PolicyName": "read", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                "Resource": [{"Fn::Sub": f"arn:${{AWS::Partition}}:s3:::app{seed}-b{b}/*"} for b in range(f * 10, min(buckets, f * 10 + 10))]}]}}],
        },
    }
    res[f"Fn{f}{seed}"] = {
        "Type": "AWS::Lambda::Function",
        "Properties": {"FunctionName": f"app{seed}-fn{f}", "Runtime": "python3.12", "Handler": "index.handler", "Timeout": 30,
                       "Role": {"Fn::GetAtt": [f"Fn{f}Role{seed}", "Arn"]}, "Code": {"ZipFile": "def handler(e, c): pass"}},
        "DependsOn": [f"Fn{f}Role{seed}"],
    }
for b in range(buckets):
    f = b // 10
    res[f"B{b}Permission{seed}"] = {
        "Type": "AWS::Lambda::Permission",
        "Properties": {"Action": "lambda:InvokeFunction", "FunctionName": {"Fn::GetAtt": [f"Fn{f}{seed}", "Arn"]},
                       "Principal": "s3.amazonaws.com", "SourceAccount": {"Ref": "AWS::AccountId"},
                       "SourceArn": f"arn:aws:s3:::app{seed}-b{b}"},
    }
    res[f"B{b}{seed}"] = {
        "Type": "AWS::S3::Bucket",
        "Properties": {"BucketName": f"app{seed}-b{b}", "NotificationConfiguration": {"LambdaConfigurations": [
            {"Event": "s3:ObjectCreated:*", "Filter": {"S3Key": {"Rules": [{"Name": "prefix", "Value": f"in{b % 3}/"}]}},
             "Function": {"Fn::GetAtt": [f"Fn{f}{seed}", "Arn"]}}]}},
        "DependsOn": [f"B{b}Permission{seed}"],
    }
json.dump({"AWSTemplateFormatVersion": "2010-09-09", "Resources": res}, sys.stdout, indent=1)
